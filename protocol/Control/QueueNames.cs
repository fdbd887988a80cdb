namespace Matchmaker.Protocol.Control;

/// <summary>
/// What a queue's mode and region may be: 1–32 characters of lower-case letters, digits, '-', '_' and
/// '.'. They become parts of grain keys (separated by '/') and, for modes, metric tags, so both ends
/// refuse anything else instead of escaping it.
/// </summary>
public static class QueueNames
{
    public const int MaxLength = 32;

    public static bool IsValid(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.'))
            {
                return false;
            }
        }

        return true;
    }
}
