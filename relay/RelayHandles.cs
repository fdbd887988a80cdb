namespace Matchmaker.Relay;

/// <summary>
/// A data frame's handle: generation (15 bits) ‖ slot (16 bits) ‖ side (1 bit). The slot indexes the
/// allocation table directly, so forwarding needs no hash lookup; the generation makes a handle from a
/// closed allocation miss when its slot is reused.
/// </summary>
internal static class RelayHandles
{
    public const int MaxSlots = 1 << 16;

    public static uint Make(int generation, int slot, int side) => ((uint)(generation & 0x7FFF) << 17) | ((uint)slot << 1) | (uint)side;

    public static int Slot(uint handle) => (int)((handle >> 1) & 0xFFFF);

    public static int Side(uint handle) => (int)(handle & 1);
}
