using Matchmaker.Relay;

var app = RelayHost.Build(args);
await app.RunAsync();
