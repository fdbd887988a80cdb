-- Matchmaker's PostgreSQL schema for Orleans ADO.NET clustering (membership), written for this
-- project from the provider's contract: it reads named queries from OrleansQuery, binds parameters
-- by name (@DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort,
-- @StartTime, @IAmAliveTime, @SuspectTimes, @Version) and reads result columns by name.
-- Idempotent: `dotnet run --project silo -- migrate` may run it any number of times.

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64) NOT NULL PRIMARY KEY,
    QueryText text        NOT NULL
);

-- One row per cluster: its version is the membership table's etag, bumped by every member write.
CREATE TABLE IF NOT EXISTS OrleansMembershipVersionTable
(
    DeploymentId varchar(150) NOT NULL PRIMARY KEY,
    Timestamp    timestamptz  NOT NULL DEFAULT now(),
    Version      integer      NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS OrleansMembershipTable
(
    DeploymentId varchar(150) NOT NULL,
    Address      varchar(45)  NOT NULL,
    Port         integer      NOT NULL,
    Generation   integer      NOT NULL,
    SiloName     varchar(150) NOT NULL,
    HostName     varchar(150) NOT NULL,
    Status       integer      NOT NULL,
    ProxyPort    integer,
    SuspectTimes text,
    StartTime    timestamptz  NOT NULL,
    IAmAliveTime timestamptz  NOT NULL,
    PRIMARY KEY (DeploymentId, Address, Port, Generation)
);

-- The queries are upserted, so a newer migrate replaces older text.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
(
    'InsertMembershipVersionKey',
    -- Returns one boolean column: whether this call created the cluster's version row.
    'WITH created AS (
        INSERT INTO OrleansMembershipVersionTable (DeploymentId) VALUES (@DeploymentId)
        ON CONFLICT (DeploymentId) DO NOTHING
        RETURNING 1)
     SELECT count(*) > 0 FROM created'
),
(
    'InsertMembershipKey',
    -- Optimistic concurrency: the row goes in only if the caller saw the current version, and the
    -- version moves on in the same statement. The version row''s lock serialises concurrent writers.
    'WITH bumped AS (
        UPDATE OrleansMembershipVersionTable
        SET Version = Version + 1, Timestamp = now()
        WHERE DeploymentId = @DeploymentId AND Version = @Version
          AND NOT EXISTS (SELECT 1 FROM OrleansMembershipTable m
                          WHERE m.DeploymentId = @DeploymentId AND m.Address = @Address
                            AND m.Port = @Port AND m.Generation = @Generation)
        RETURNING DeploymentId),
     inserted AS (
        INSERT INTO OrleansMembershipTable
            (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, StartTime, IAmAliveTime)
        SELECT DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime
        FROM bumped
        RETURNING 1)
     SELECT count(*) > 0 FROM inserted'
),
(
    'UpdateMembershipKey',
    'WITH bumped AS (
        UPDATE OrleansMembershipVersionTable
        SET Version = Version + 1, Timestamp = now()
        WHERE DeploymentId = @DeploymentId AND Version = @Version
        RETURNING DeploymentId),
     updated AS (
        UPDATE OrleansMembershipTable m
        SET Status = @Status, SuspectTimes = @SuspectTimes, IAmAliveTime = @IAmAliveTime
        FROM bumped
        WHERE m.DeploymentId = bumped.DeploymentId AND m.Address = @Address
          AND m.Port = @Port AND m.Generation = @Generation
        RETURNING 1)
     SELECT count(*) > 0 FROM updated'
),
(
    'UpdateIAmAlivetimeKey',
    -- Liveness only: deliberately no version bump, so heartbeats do not conflict with membership writes.
    'UPDATE OrleansMembershipTable
     SET IAmAliveTime = @IAmAliveTime
     WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation'
),
(
    'MembershipReadRowKey',
    -- The version row is always returned (left join), so a reader gets the etag even with no matching member.
    'SELECT v.Version, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
            m.SuspectTimes, m.StartTime, m.IAmAliveTime
     FROM OrleansMembershipVersionTable v
     LEFT JOIN OrleansMembershipTable m
        ON m.DeploymentId = v.DeploymentId AND m.Address = @Address AND m.Port = @Port AND m.Generation = @Generation
     WHERE v.DeploymentId = @DeploymentId'
),
(
    'MembershipReadAllKey',
    'SELECT v.Version, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
            m.SuspectTimes, m.StartTime, m.IAmAliveTime
     FROM OrleansMembershipVersionTable v
     LEFT JOIN OrleansMembershipTable m ON m.DeploymentId = v.DeploymentId
     WHERE v.DeploymentId = @DeploymentId'
),
(
    'GatewaysQueryKey',
    -- Clients connect to active silos that accept clients (a proxy port of 0 means no gateway).
    'SELECT Address, ProxyPort, Generation
     FROM OrleansMembershipTable
     WHERE DeploymentId = @DeploymentId AND Status = @Status AND ProxyPort > 0'
),
(
    'DeleteMembershipTableEntriesKey',
    'WITH members AS (DELETE FROM OrleansMembershipTable WHERE DeploymentId = @DeploymentId)
     DELETE FROM OrleansMembershipVersionTable WHERE DeploymentId = @DeploymentId'
),
(
    'CleanupDefunctSiloEntriesKey',
    -- Status 6 is SiloStatus.Dead: only silos declared dead and silent since the cut-off go.
    'DELETE FROM OrleansMembershipTable
     WHERE DeploymentId = @DeploymentId AND IAmAliveTime < @IAmAliveTime AND Status = 6'
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
