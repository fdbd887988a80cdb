namespace Matchmaker.Tests.Grains;

/// <summary>
/// Awaits a condition the system reaches asynchronously (a grain timer's effect after the fake clock
/// moved). It re-checks on every scheduler turn up to a deadline; it never sleeps a fixed time.
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
