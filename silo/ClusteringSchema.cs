using Npgsql;

namespace Matchmaker.Silo;

/// <summary>
/// <c>migrate</c>: applies the membership schema and the named queries the ADO.NET clustering provider
/// reads from <c>OrleansQuery</c> (Sql/clustering.sql). The script is idempotent, so migrate can run on
/// every deployment.
/// </summary>
public static class ClusteringSchema
{
    public const string Verb = "migrate";

    private const string ResourceName = "Matchmaker.Silo.Sql.clustering.sql";

    public static async Task<int> MigrateAsync(IConfiguration configuration, CancellationToken cancellationToken)
    {
        try
        {
            var connectionString = SiloBuilderExtensions.RequireConnectionString(configuration);
            await using var dataSource = NpgsqlDataSource.Create(connectionString);
            await using var command = dataSource.CreateCommand(await ReadScriptAsync(cancellationToken));
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is InvalidOperationException or ArgumentException or NpgsqlException)
        {
            // A deployment step: one line naming the problem and a failing exit code, not a stack trace.
            await Console.Error.WriteLineAsync($"migrate failed: {exception.Message}");
            return 1;
        }

        await Console.Out.WriteLineAsync("Orleans clustering schema is up to date.");
        return 0;
    }

    private static async Task<string> ReadScriptAsync(CancellationToken cancellationToken)
    {
        await using var stream = typeof(ClusteringSchema).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {ResourceName} is missing.");
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync(cancellationToken);
    }
}
