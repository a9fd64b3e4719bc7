namespace DeskdropML.Data;

/// <summary>
/// An append-only column of unmanaged values stored in chunks of 2^20 values, for loaders that do not know the row
/// count in advance.
/// </summary>
/// <remarks>
/// Memory model: the values plus at most one partly filled chunk (4 MiB for <c>int</c>, 8 MiB for <c>long</c>); growing
/// never copies (unlike a doubling list, whose peak is three times its content). <see cref="ToArray"/> copies the
/// chunks into one exact-size array and releases each chunk as soon as it is copied, so the peak while finishing is
/// the values plus one chunk.
/// </remarks>
internal sealed class ChunkedColumn<T> where T : unmanaged
{
    private const int ChunkShift = 20;
    private const int ChunkSize = 1 << ChunkShift;
    private readonly List<T[]?> _chunks = new();
    private T[] _current = Array.Empty<T>();
    private int _used;

    /// <summary>Values appended so far.</summary>
    public long Count { get; private set; }

    /// <summary>Appends a value.</summary>
    public void Add(T value)
    {
        if (_used == _current.Length)
        {
            _current = new T[ChunkSize];
            _chunks.Add(_current);
            _used = 0;
        }
        _current[_used++] = value;
        Count++;
    }

    /// <summary>The values as one array of exactly <see cref="Count"/> elements; the column is empty afterwards.</summary>
    /// <exception cref="InvalidOperationException">More values than one .NET array holds.</exception>
    public T[] ToArray()
    {
        if (Count > Array.MaxLength) throw new InvalidOperationException($"{Count:N0} values do not fit in one array (at most {Array.MaxLength:N0}).");
        var all = new T[Count];
        long at = 0;
        for (int c = 0; c < _chunks.Count; c++)
        {
            int n = (int)Math.Min(ChunkSize, Count - at);
            _chunks[c].AsSpan(0, n).CopyTo(all.AsSpan((int)at));
            _chunks[c] = null;
            at += n;
        }
        _chunks.Clear();
        _current = Array.Empty<T>();
        _used = 0;
        Count = 0;
        return all;
    }
}
