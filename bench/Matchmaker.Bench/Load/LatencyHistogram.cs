using System.Numerics;

namespace Matchmaker.Bench.Load;

/// <summary>
/// Log-linear histogram of nanosecond values (the HdrHistogram idea in a few lines): exact below 128,
/// then 64 buckets per power of two, so any percentile is within ~1.6 % and recording never allocates.
/// One per worker; merged after the run.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int LinearLimit = 128;
    private const int SubBucketBits = 6;
    private const int SubBuckets = 1 << SubBucketBits;
    private const int MaxExponent = 40;

    private readonly long[] _counts = new long[LinearLimit + ((MaxExponent - 6) * SubBuckets)];

    private long _sum;

    public long Count { get; private set; }

    /// <summary>The exact mean in nanoseconds (coturn's uclient reports means, so comparisons need one); 0 when empty.</summary>
    public double Mean => Count == 0 ? 0 : (double)_sum / Count;

    public void Record(long nanoseconds)
    {
        _counts[IndexOf(Math.Max(0, nanoseconds))]++;
        _sum += Math.Max(0, nanoseconds);
        Count++;
    }

    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }

        Count += other.Count;
        _sum += other._sum;
    }

    /// <summary>The midpoint of the bucket holding the given quantile, in nanoseconds; 0 when empty.</summary>
    public double Percentile(double quantile)
    {
        if (Count == 0)
        {
            return 0;
        }

        var rank = (long)Math.Ceiling(quantile * Count);
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= Math.Max(rank, 1))
            {
                var (low, width) = BucketOf(i);
                return low + ((width - 1) / 2.0);
            }
        }

        return BucketOf(_counts.Length - 1).Low;
    }

    private int IndexOf(long value)
    {
        if (value < LinearLimit)
        {
            return (int)value;
        }

        var exponent = 63 - BitOperations.LeadingZeroCount((ulong)value);
        if (exponent >= MaxExponent)
        {
            return _counts.Length - 1;
        }

        // Above 2^7 the top seven bits select the bucket: 64 buckets per doubling.
        var shift = exponent - SubBucketBits;
        var sub = (int)(value >> shift) - SubBuckets;
        return LinearLimit + ((exponent - 7) * SubBuckets) + sub;
    }

    private static (long Low, long Width) BucketOf(int index)
    {
        if (index < LinearLimit)
        {
            return (index, 1);
        }

        var exponent = ((index - LinearLimit) / SubBuckets) + 7;
        var sub = (index - LinearLimit) % SubBuckets;
        var shift = exponent - SubBucketBits;
        return ((long)(SubBuckets + sub) << shift, 1L << shift);
    }
}
