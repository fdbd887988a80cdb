using Matchmaker.Gateway;

var app = GatewayHost.Build(args);
await app.RunAsync();
