using System.Buffers.Binary;

namespace Matchmaker.Protocol.Stun;

/// <summary>Walks the attributes of an already validated message without allocating.</summary>
public ref struct StunAttributeEnumerator
{
    private readonly ReadOnlySpan<byte> _message;
    private int _next;

    internal StunAttributeEnumerator(ReadOnlySpan<byte> message)
    {
        _message = message;
        _next = StunHeader.Length;
        Current = default;
    }

    public StunAttribute Current { get; private set; }

    public readonly StunAttributeEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_next + StunAttributeLayout.HeaderLength > _message.Length)
        {
            return false;
        }

        var type = BinaryPrimitives.ReadUInt16BigEndian(_message[_next..]);
        var length = BinaryPrimitives.ReadUInt16BigEndian(_message[(_next + 2)..]);
        var valueStart = _next + StunAttributeLayout.HeaderLength;
        Current = new StunAttribute(type, _message.Slice(valueStart, length), _next);
        _next = valueStart + StunAttributeLayout.Pad(length);
        return true;
    }
}
