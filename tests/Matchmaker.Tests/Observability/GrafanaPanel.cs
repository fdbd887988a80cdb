namespace Matchmaker.Tests.Observability;

internal sealed record GrafanaPanel(int Id, string Title, IReadOnlyList<string> Expressions);
