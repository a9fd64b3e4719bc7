using System.Globalization;

namespace DeskdropML.Data;

/// <summary>
/// Validates interaction rows as a loader reads them and appends them to compact columns: every user and item id
/// is interned once (looked up by its characters, so a row whose ids were seen before allocates nothing) and a row
/// becomes a user index, an item index, a timestamp and a strength. Shared by the CSV and Parquet loaders so both
/// give the same rows and the same error messages.
/// </summary>
/// <remarks>
/// Memory model: 20 bytes per kept row (two <c>int</c> indices, a <c>long</c> timestamp, a <c>float</c> strength) in
/// <see cref="ChunkedColumn{T}"/>s, plus one string and two dictionary entries per distinct id. Nothing is kept per
/// row beyond those 20 bytes.
/// </remarks>
internal sealed class InteractionLogBuilder
{
    /// <summary>Rows between two progress reports.</summary>
    internal const long ProgressInterval = 1 << 20;

    private readonly string _file;
    private readonly InteractionCsvOptions _options;
    private readonly string _userColumn;
    private readonly string _itemColumn;
    private readonly string? _strengthColumn;
    private readonly Action<long>? _progress;
    private readonly InternedIds _users = new();
    private readonly InternedIds _items = new();
    private readonly ChunkedColumn<int> _userOfRow = new();
    private readonly ChunkedColumn<int> _itemOfRow = new();
    private readonly ChunkedColumn<long> _times = new();
    private readonly ChunkedColumn<float> _strengths = new();
    private readonly Dictionary<string, long> _rejected = new(StringComparer.Ordinal);

    /// <param name="file">The file named in errors and in the report.</param>
    /// <param name="options">The column options (validated by the caller).</param>
    /// <param name="userColumn">The user column as the file names it (for errors).</param>
    /// <param name="itemColumn">The item column as the file names it.</param>
    /// <param name="timeColumn">The timestamp column as the file names it.</param>
    /// <param name="strengthColumn">The weight or event column as the file names it, or null.</param>
    /// <param name="progress">Called with the rows read so far every <see cref="ProgressInterval"/> rows.</param>
    public InteractionLogBuilder(string file, InteractionCsvOptions options, string userColumn, string itemColumn, string timeColumn,
        string? strengthColumn, Action<long>? progress)
    {
        _file = file;
        _options = options;
        _userColumn = userColumn;
        _itemColumn = itemColumn;
        _strengthColumn = strengthColumn;
        _progress = progress;
        Timestamps = new TimestampParser(options.TimeUnit, file, timeColumn);
    }

    /// <summary>Parses the timestamp column (one unit per file).</summary>
    public TimestampParser Timestamps { get; }

    /// <summary>Data rows read so far.</summary>
    public long RowsRead { get; private set; }

    /// <summary>Counts one data row read (kept or not) and reports progress now and then.</summary>
    public void CountRead()
    {
        RowsRead++;
        if (_progress is not null && RowsRead % ProgressInterval == 0) _progress(RowsRead);
    }

    /// <summary>
    /// The strength of a row from its weight or event text, or null when the row is skipped (an unknown event type
    /// under <see cref="UnknownEventPolicy.Skip"/>, counted in the report). Strength 1 when the file has neither column.
    /// </summary>
    public float? Strength(ReadOnlySpan<char> text, long line, int position)
    {
        if (_options.WeightColumn is not null)
        {
            if (!float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float weight))
                throw NotAWeight(text.ToString(), line, position);
            return CheckWeight(weight, text, line, position);
        }
        if (_options.EventColumn is null) return 1f;
        if (_options.EventStrengths.TryGetStrength(text, out float strength)) return strength;
        string shown = DataText.Show(text.ToString());
        if (_options.UnknownEvents == UnknownEventPolicy.Skip)
        {
            string reason = $"unknown event type '{shown}' (skipped)";
            _rejected[reason] = _rejected.GetValueOrDefault(reason) + 1;
            return null;
        }
        throw new DataFormatException(_file, line, _strengthColumn,
            $"unknown event type '{shown}' (known: {string.Join(", ", _options.EventStrengths.EventTypes)}; map it or skip unknown events)", position);
    }

    /// <summary>A weight read from a typed (numeric) column: finite and >= 0.</summary>
    public float CheckWeight(double weight, long line)
    {
        float value = (float)weight;
        return CheckWeight(value, weight.ToString("R", CultureInfo.InvariantCulture), line, 0);
    }

    private float CheckWeight(float weight, ReadOnlySpan<char> text, long line, int position)
    {
        if (!float.IsFinite(weight) || weight < 0) throw NotAWeight(text.ToString(), line, position);
        return weight;
    }

    private DataFormatException NotAWeight(string text, long line, int position) =>
        new(_file, line, _strengthColumn, $"'{DataText.Show(text)}' is not a finite number >= 0", position);

    /// <summary>Checks that a row's ids are not empty (before its other fields, as errors are reported in that order).</summary>
    public void CheckIds(ReadOnlySpan<char> user, int userPosition, ReadOnlySpan<char> item, int itemPosition, long line)
    {
        if (user.IsEmpty) throw new DataFormatException(_file, line, _userColumn, "the user id is empty", userPosition);
        if (item.IsEmpty) throw new DataFormatException(_file, line, _itemColumn, "the item id is empty", itemPosition);
    }

    /// <summary>Appends a checked row.</summary>
    public void Add(ReadOnlySpan<char> user, ReadOnlySpan<char> item, long time, float strength)
    {
        _userOfRow.Add(_users.IndexOf(user));
        _itemOfRow.Add(_items.IndexOf(item));
        _times.Add(time);
        _strengths.Add(strength);
    }

    /// <summary>The log of the rows added, with the report of what was read, kept and skipped.</summary>
    public InteractionLog ToLog()
    {
        long kept = _userOfRow.Count;
        var report = new LoadReport(_file, RowsRead, kept, _rejected);
        return new InteractionLog(_users.Names(), _userOfRow.ToArray(), _items.Names(), _itemOfRow.ToArray(), _times.ToArray(), _strengths.ToArray(), report);
    }
}

/// <summary>
/// Dense indices for id strings in first-seen order; a lookup by characters allocates only for a new id.
/// </summary>
internal sealed class InternedIds
{
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _bySpan;
    private readonly List<string> _names = new();
    private string _last = "";
    private int _lastIndex = -1;

    public InternedIds() => _bySpan = _index.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Distinct ids so far.</summary>
    public int Count => _names.Count;

    /// <summary>
    /// The index of <paramref name="id"/>, adding it when new. The previous id is checked first: logs are often
    /// grouped by user or session, and a comparison is cheaper than a hash.
    /// </summary>
    public int IndexOf(ReadOnlySpan<char> id)
    {
        if (_lastIndex >= 0 && id.SequenceEqual(_last)) return _lastIndex;
        if (!_bySpan.TryGetValue(id, out int i))
        {
            string name = new(id);
            i = _names.Count;
            _index.Add(name, i);
            _names.Add(name);
        }
        _last = _names[i];
        _lastIndex = i;
        return i;
    }

    /// <summary>The ids in first-seen order.</summary>
    public string[] Names() => _names.ToArray();
}
