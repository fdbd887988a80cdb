using Matchmaker.Silo;

if (args.Length > 0 && args[0] == ClusteringSchema.Verb)
{
    return await ClusteringSchema.MigrateAsync(MatchmakerSilo.Configuration(args[1..]), CancellationToken.None);
}

var app = MatchmakerSilo.Build(args);
await app.RunAsync();
return 0;
