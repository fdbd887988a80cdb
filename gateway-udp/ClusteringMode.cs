namespace Matchmaker.Gateway;

/// <summary>How silos find each other and clients find silos: <c>Orleans:Clustering</c>.</summary>
public enum ClusteringMode
{
    /// <summary>One machine, fixed ports, no database: the embedded default.</summary>
    Localhost,

    /// <summary>Membership in PostgreSQL (<c>ConnectionStrings:Orleans</c>, invariant Npgsql): the production cluster.</summary>
    AdoNet,
}
