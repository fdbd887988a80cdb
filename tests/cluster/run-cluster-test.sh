#!/usr/bin/env bash
# The multi-process cluster test alone: PostgreSQL in a temp dir (as the postgres user when run as
# root), `migrate` twice, two silos without gateways or relays, one gateway process, one relay process
# (registered with the cluster, relaying frames under tokens the cluster minted), and two SDK clients
# that meet by lobby code and exchange a message each way; then the failover tests: a third silo
# SIGKILLed while clients heartbeat (players and lobbies recover, no code live twice), a gateway and
# the relay SIGKILLed and restarted on the same port, PostgreSQL stopped and started under the running
# cluster, and SIGTERM to a silo and a gateway process. The xunit fixture
# (tests/Matchmaker.Tests/Cluster/PostgresClusterFixture.cs) starts, waits for and cleans up every
# process; this script builds and runs that category. tests/run.sh runs it with everything else.
set -euo pipefail
cd "$(dirname "$0")/../.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
    echo "Installing postgresql..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi

if [[ "${1:-}" != "--no-build" ]]; then
    dotnet build tests/Matchmaker.Tests --verbosity quiet -clp:ErrorsOnly
fi
exec dotnet test tests/Matchmaker.Tests --no-build --filter "Category=Postgres"
