using Matchmaker.Client;

namespace Matchmaker.Tests.Client;

public sealed class ReplayWindowTests
{
    [Fact]
    public void Each_sequence_number_is_accepted_once()
    {
        var window = new ReplayWindow();

        Assert.True(window.TryAccept(1));
        Assert.True(window.TryAccept(2));
        Assert.False(window.TryAccept(2));
        Assert.False(window.TryAccept(1));
    }

    [Fact]
    public void Reordered_numbers_within_64_are_accepted_and_older_ones_refused()
    {
        var window = new ReplayWindow();

        Assert.True(window.TryAccept(100));
        Assert.True(window.TryAccept(37));
        Assert.False(window.TryAccept(37));
        Assert.False(window.TryAccept(36));
        Assert.True(window.TryAccept(99));
        Assert.True(window.TryAccept(1_000));
        Assert.False(window.TryAccept(100));
    }

    [Fact]
    public void Zero_is_never_a_valid_sequence_number()
    {
        Assert.False(new ReplayWindow().TryAccept(0));
    }

    [Fact]
    public void Any_order_of_distinct_numbers_in_the_window_is_accepted_exactly_once()
    {
        var random = new Random(4303);
        for (var run = 0; run < 200; run++)
        {
            var window = new ReplayWindow();
            var numbers = Enumerable.Range(1, 64).Select(n => (ulong)n).OrderBy(_ => random.Next()).ToList();
            var replays = numbers.OrderBy(_ => random.Next()).ToList();

            // Numbers are accepted however they are reordered, as long as they arrive within 64 of the highest.
            Assert.All(numbers, n => Assert.True(window.TryAccept(n)));
            Assert.All(replays, n => Assert.False(window.TryAccept(n)));
        }
    }
}
