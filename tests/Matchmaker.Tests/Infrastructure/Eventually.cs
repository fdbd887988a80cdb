namespace Matchmaker.Tests.Infrastructure;

/// <summary>
/// Awaits a condition the system reaches asynchronously (a grain timer's effect after the fake clock
/// moved, a cached list refreshing). It re-checks on every turn up to a deadline; it never sleeps.
/// </summary>
internal static class Eventually
{
    public static async Task<T> ReachesAsync<T>(Func<Task<T>> probe, Func<T, bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var value = await probe();
            if (condition(value) || DateTime.UtcNow > deadline)
            {
                return value;
            }

            await Task.Yield();
        }
    }
}
