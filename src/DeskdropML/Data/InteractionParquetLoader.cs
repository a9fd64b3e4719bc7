using System.Globalization;
using Parquet;
using Parquet.Schema;

namespace DeskdropML.Data;

/// <summary>
/// Loads an interactions Parquet file into an <see cref="InteractionLog"/>, with the same columns, rules, result and
/// error messages as <see cref="InteractionCsvLoader"/> (errors name the file and the 1-based row instead of a line).
/// </summary>
/// <remarks>
/// <para>Columns are found by name (<see cref="InteractionCsvOptions"/>). Ids may be string, int32 or int64 columns
/// (integers are read as their decimal text); timestamps int32/int64 (Unix seconds or milliseconds by the same unit rule
/// as the CSV) or strings (parsed like the CSV's text); a weight column any numeric type or a string; an event column a
/// string. Nullable columns are accepted; a null is an empty value (an error for ids and timestamps).</para>
/// <para>Streaming and memory model: two row groups at a time (the next one is decoded on a worker thread while this
/// one's rows are added), their columns in reusable buffers; rows are interned and
/// appended to compact columns by <see cref="InteractionLogBuilder"/> (20 bytes per row). Parquet.Net materialises
/// each string value of a row group as a short-lived character array (it offers no span over its page buffer); these
/// die young and are never kept.</para>
/// <para>A file that Parquet.Net cannot read (not Parquet, truncated, corrupted pages, unsupported encodings) is a
/// <see cref="DataFormatException"/> naming the file.</para>
/// </remarks>
public static class InteractionParquetLoader
{
    private static ReadOnlySpan<byte> Magic => "PAR1"u8;

    /// <summary>True when <paramref name="path"/> ends in <c>.parquet</c> or the file starts with the Parquet magic bytes <c>PAR1</c>.</summary>
    public static bool IsParquet(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase)) return true;
        if (!File.Exists(path)) return false;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
            Span<byte> head = stackalloc byte[4];
            return stream.ReadAtLeast(head, 4, throwOnEndOfStream: false) == 4 && head.SequenceEqual(Magic);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Loads the Parquet file at <paramref name="path"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">Column names and rules (the same options as for a CSV).</param>
    /// <param name="progress">Called with the rows read so far, about every 2^20 rows.</param>
    /// <exception cref="DataFormatException">The file is missing, not readable Parquet, lacks a column, or holds a bad value.</exception>
    public static InteractionLog Load(string path, InteractionCsvOptions? options = null, Action<long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        options ??= new InteractionCsvOptions();
        options.Validate();
        if (Directory.Exists(path)) throw new DataFormatException(path, 0, null, "is a folder, not a file");
        if (!File.Exists(path)) throw new DataFormatException(path, 0, null, "file not found");
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        var reader = Parquet(path, () => ParquetReader.CreateAsync(stream, leaveStreamOpen: true));
        try
        {
            return Read(path, reader, options, progress);
        }
        finally
        {
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>
    /// Reads the row groups in order, decoding group g + 1 on a worker thread while the rows of group g are validated
    /// and interned here (two buffer sets; only one Parquet read is ever in flight, so the reader is never shared).
    /// </summary>
    private static InteractionLog Read(string file, ParquetReader reader, InteractionCsvOptions options, Action<long>? progress)
    {
        var fields = reader.Schema.GetDataFields();
        DataField Require(string name, string role) =>
            fields.FirstOrDefault(f => f.Name == name)
            ?? throw new DataFormatException(file, 0, name, $"the {role} column is missing from the Parquet schema (columns: {string.Join(", ", fields.Select(f => f.Name))})");
        var userField = Require(options.UserColumn, "user");
        var itemField = Require(options.ItemColumn, "item");
        var timeField = Require(options.TimeColumn, "timestamp");
        DataField? strengthField = options.WeightColumn is not null ? Require(options.WeightColumn, "weight")
            : options.EventColumn is not null ? Require(options.EventColumn, "event") : null;
        var buffers = new[] { new RowGroupColumns(file, userField, itemField, timeField, strengthField), new RowGroupColumns(file, userField, itemField, timeField, strengthField) };
        var rows = new InteractionLogBuilder(file, options, userField.Name, itemField.Name, timeField.Name, strengthField?.Name, progress);

        int groups = reader.RowGroupCount;
        Task<int>? pending = groups > 0 ? Task.Run(() => buffers[0].Read(reader, 0)) : null;
        long rowNumber = 0;
        try
        {
            for (int g = 0; g < groups; g++)
            {
                int count = pending!.GetAwaiter().GetResult();
                var current = buffers[g % 2];
                int next = g + 1;
                pending = next < groups ? Task.Run(() => buffers[next % 2].Read(reader, next)) : null;
                rowNumber = Add(rows, current, count, rowNumber, options.WeightColumn is not null);
            }
        }
        finally
        {
            // A failure while adding rows leaves a read in flight: let it finish before the reader is disposed.
            try { pending?.Wait(); } catch (AggregateException) { }
        }
        return rows.ToLog();
    }

    /// <summary>Validates and appends the rows of one decoded row group; returns the last row number.</summary>
    private static long Add(InteractionLogBuilder rows, RowGroupColumns columns, int count, long rowNumber, bool weighted)
    {
        Span<char> userDigits = stackalloc char[24], itemDigits = stackalloc char[24], timeDigits = stackalloc char[24], weightDigits = stackalloc char[32];
        var (user, item, time, strength) = (columns.User, columns.Item, columns.Time, columns.Strength);
        for (int r = 0; r < count; r++)
        {
            long line = ++rowNumber;
            rows.CountRead();
            var u = user.Text(r, userDigits);
            var i = item.Text(r, itemDigits);
            rows.CheckIds(u, 0, i, 0, line);
            long t = time.TryInteger(r, out long integer) ? rows.Timestamps.FromInteger(integer, line) : rows.Timestamps.Parse(time.Text(r, timeDigits), line, 0);
            float? s = strength is null ? 1f
                : weighted && strength.TryNumber(r, out double weight) ? rows.CheckWeight(weight, line)
                : rows.Strength(strength.Text(r, weightDigits), line, 0);
            if (s is null) continue;
            rows.Add(u, i, t, s.Value);
        }
        return rowNumber;
    }

    /// <summary>The columns the loader needs, for one row group at a time.</summary>
    private sealed class RowGroupColumns(string file, DataField user, DataField item, DataField time, DataField? strength)
    {
        public ParquetColumn User { get; } = new(file, user);
        public ParquetColumn Item { get; } = new(file, item);
        public ParquetColumn Time { get; } = new(file, time);
        public ParquetColumn? Strength { get; } = strength is null ? null : new(file, strength);

        /// <summary>Decodes row group <paramref name="g"/> into the buffers; returns its row count.</summary>
        public int Read(ParquetReader reader, int g)
        {
            using var group = Parquet(file, () => Task.FromResult(reader.OpenRowGroupReader(g)));
            if (group.RowCount > Array.MaxLength) throw new DataFormatException(file, 0, null, $"row group {g} has {group.RowCount:N0} rows, more than one array holds");
            int count = (int)group.RowCount;
            User.Read(group, count);
            Item.Read(group, count);
            Time.Read(group, count);
            Strength?.Read(group, count);
            return count;
        }
    }

    /// <summary>Runs a Parquet.Net call, turning its failures into a one-line <see cref="DataFormatException"/> naming the file.</summary>
    internal static T Parquet<T>(string file, Func<Task<T>> call)
    {
        try
        {
            return call().GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is not (DataFormatException or OperationCanceledException or OutOfMemoryException))
        {
            throw new DataFormatException(file, 0, null, $"not a readable Parquet file ({e.Message.ReplaceLineEndings(" ").Trim()})");
        }
    }

    /// <summary>One column of the current row group in reusable buffers of its physical type.</summary>
    private sealed class ParquetColumn
    {
        private readonly string _file;
        private readonly DataField _field;
        private readonly Type _type;
        private readonly bool _isText;
        private readonly bool _isInteger;
        private ReadOnlyMemory<char>[] _strings = [];
        private long[] _integers = [];
        private double[] _numbers = [];
        private bool[] _null = [];
        private Array _raw = Array.Empty<int>();
        private Array _rawNullable = Array.Empty<int>();

        public ParquetColumn(string file, DataField field)
        {
            _file = file;
            _field = field;
            _type = field.ClrType;
            _isText = _type == typeof(ReadOnlyMemory<char>) || _type == typeof(string);
            _isInteger = _type == typeof(int) || _type == typeof(long);
            if (!_isText && !_isInteger && _type != typeof(float) && _type != typeof(double))
                throw new DataFormatException(file, 0, field.Name, $"the column's Parquet type ({_type.Name}) is not supported (string, int32, int64, float or double)");
        }

        public string Name => _field.Name;

        public void Read(ParquetRowGroupReader group, int count)
        {
            if (_null.Length < count) _null = new bool[count];
            if (_isText) Read<ReadOnlyMemory<char>, ReadOnlyMemory<char>>(group, count, ref _strings, static v => v);
            else if (_type == typeof(int)) Read<int, long>(group, count, ref _integers, static v => v);
            else if (_type == typeof(long)) Read<long, long>(group, count, ref _integers, static v => v);
            else if (_type == typeof(float)) Read<float, double>(group, count, ref _numbers, static v => v);
            else Read<double, double>(group, count, ref _numbers, static v => v);
        }

        /// <summary>Reads the column as <typeparamref name="T"/> (nullable or not), converted into <paramref name="values"/>; nulls flagged.</summary>
        private void Read<T, TValue>(ParquetRowGroupReader group, int count, ref TValue[] values, Func<T, TValue> convert) where T : struct
        {
            if (values.Length < count) values = new TValue[count];
            if (_field.IsNullable)
            {
                if (_rawNullable is not T?[] raw || raw.Length < count) _rawNullable = raw = new T?[count];
                var target = raw.AsMemory(0, count);
                Parquet(_file, async () => { await group.ReadAsync<T>(_field, target); return 0; });
                for (int r = 0; r < count; r++)
                {
                    _null[r] = !raw[r].HasValue;
                    values[r] = raw[r] is T v ? convert(v) : default!;
                }
            }
            else if (values is T[] direct)
            {
                // Same type: read straight into the values.
                var target = direct.AsMemory(0, count);
                Parquet(_file, async () => { await group.ReadAsync<T>(_field, target); return 0; });
                Array.Clear(_null, 0, count);
            }
            else
            {
                if (_raw is not T[] raw || raw.Length < count) _raw = raw = new T[count];
                var target = raw.AsMemory(0, count);
                Parquet(_file, async () => { await group.ReadAsync<T>(_field, target); return 0; });
                for (int r = 0; r < count; r++) values[r] = convert(raw[r]);
                Array.Clear(_null, 0, count);
            }
        }

        /// <summary>Row r's value as text (numbers formatted into <paramref name="scratch"/>); a null is empty.</summary>
        public ReadOnlySpan<char> Text(int r, Span<char> scratch)
        {
            if (_null[r]) return default;
            if (_isText) return _strings[r].Span;
            if (_isInteger) return _integers[r].TryFormat(scratch, out int n, default, CultureInfo.InvariantCulture) ? scratch[..n] : default;
            return _numbers[r].TryFormat(scratch, out int m, "R", CultureInfo.InvariantCulture) ? scratch[..m] : default;
        }

        /// <summary>Row r's value when the column is an integer column and the value is not null.</summary>
        public bool TryInteger(int r, out long value)
        {
            value = _isInteger && !_null[r] ? _integers[r] : 0;
            return _isInteger && !_null[r];
        }

        /// <summary>Row r's value when the column is numeric and the value is not null.</summary>
        public bool TryNumber(int r, out double value)
        {
            value = 0;
            if (_isText || _null[r]) return false;
            value = _isInteger ? _integers[r] : _numbers[r];
            return true;
        }
    }
}
