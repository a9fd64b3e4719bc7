namespace DeskdropML.Data.Synthetic;

/// <summary>
/// A block of generated rows as parallel arrays (user number, item number, Unix seconds, event-type index); valid
/// until the sink returns. Fixed capacity, reused for the whole run: generation holds no rows beyond one block.
/// </summary>
internal sealed class SyntheticBatch
{
    /// <summary>Rows per block.</summary>
    public const int Capacity = 1 << 16;

    public readonly int[] User = new int[Capacity];
    public readonly int[] Item = new int[Capacity];
    public readonly long[] Time = new long[Capacity];
    public readonly byte[] Event = new byte[Capacity];

    /// <summary>Rows filled.</summary>
    public int Count;

    /// <summary>True when no row fits any more.</summary>
    public bool IsFull => Count == Capacity;

    public void Add(int user, int item, long time, byte eventType)
    {
        User[Count] = user;
        Item[Count] = item;
        Time[Count] = time;
        Event[Count] = eventType;
        Count++;
    }
}
