using Matchmaker.Silo;

var app = MatchmakerSilo.Build(args);
await app.RunAsync();
