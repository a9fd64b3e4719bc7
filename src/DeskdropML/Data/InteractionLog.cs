namespace DeskdropML.Data;

/// <summary>
/// Interaction rows as read from a file, in file order: user id, item id, Unix timestamp (seconds) and the
/// row's strength (its event strength or weight column; 1 when the file has neither).
/// </summary>
/// <remarks>
/// Memory model: the rows are stored as columns — a user index and an item index (<c>int</c>), a timestamp
/// (<c>long</c>) and a strength (<c>float</c>), 20 bytes per row — plus each distinct id string once, indexed in
/// first-seen order. <see cref="Users"/> and <see cref="Items"/> are views that look the strings up; no per-row
/// string or object exists. Every id of the tables occurs in at least one row.
/// </remarks>
public sealed class InteractionLog
{
    private readonly string[] _userNames;
    private readonly int[] _userOfRow;
    private readonly string[] _itemNames;
    private readonly int[] _itemOfRow;
    private readonly long[] _timestamps;
    private readonly float[] _strengths;

    /// <summary>Creates a log from parallel arrays (all of equal length).</summary>
    public InteractionLog(string[] users, string[] items, long[] timestamps, float[] strengths, LoadReport report)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(timestamps);
        ArgumentNullException.ThrowIfNull(strengths);
        if (items.Length != users.Length || timestamps.Length != users.Length || strengths.Length != users.Length)
            throw new ArgumentException("users, items, timestamps and strengths must have equal lengths.");
        (_userNames, _userOfRow) = Intern(users, nameof(users));
        (_itemNames, _itemOfRow) = Intern(items, nameof(items));
        _timestamps = timestamps;
        _strengths = strengths;
        Report = report ?? throw new ArgumentNullException(nameof(report));
        Users = new IdsByRow(_userNames, _userOfRow);
        Items = new IdsByRow(_itemNames, _itemOfRow);
    }

    /// <summary>A log over interned columns (loaders): <paramref name="userNames"/>[<paramref name="userOfRow"/>[r]] is row r's user.</summary>
    internal InteractionLog(string[] userNames, int[] userOfRow, string[] itemNames, int[] itemOfRow, long[] timestamps, float[] strengths, LoadReport report)
    {
        _userNames = userNames;
        _userOfRow = userOfRow;
        _itemNames = itemNames;
        _itemOfRow = itemOfRow;
        _timestamps = timestamps;
        _strengths = strengths;
        Report = report;
        Users = new IdsByRow(_userNames, _userOfRow);
        Items = new IdsByRow(_itemNames, _itemOfRow);
    }

    /// <summary>User id of each row.</summary>
    public IReadOnlyList<string> Users { get; }

    /// <summary>Item id of each row.</summary>
    public IReadOnlyList<string> Items { get; }

    /// <summary>Timestamp of each row (Unix seconds).</summary>
    public IReadOnlyList<long> Timestamps => _timestamps;

    /// <summary>Strength of each row.</summary>
    public IReadOnlyList<float> Strengths => _strengths;

    /// <summary>Number of rows.</summary>
    public int Count => _userOfRow.Length;

    /// <summary>What the loader read, kept and rejected.</summary>
    public LoadReport Report { get; }

    /// <summary>Distinct user ids in first-seen order (index = <see cref="UserOfRow"/> values).</summary>
    internal ReadOnlySpan<string> UserNames => _userNames;

    /// <summary>Distinct item ids in first-seen order.</summary>
    internal ReadOnlySpan<string> ItemNames => _itemNames;

    /// <summary>Index into <see cref="UserNames"/> of each row's user.</summary>
    internal ReadOnlySpan<int> UserOfRow => _userOfRow;

    /// <summary>Index into <see cref="ItemNames"/> of each row's item.</summary>
    internal ReadOnlySpan<int> ItemOfRow => _itemOfRow;

    /// <summary>Timestamps as a span.</summary>
    internal ReadOnlySpan<long> TimestampSpan => _timestamps;

    /// <summary>Strengths as a span.</summary>
    internal ReadOnlySpan<float> StrengthSpan => _strengths;

    /// <summary>The rows whose item id satisfies <paramref name="keepItem"/>, in file order.</summary>
    /// <param name="keepItem">Predicate on the item id (called once per distinct item).</param>
    /// <param name="reason">Counted in the report as the reason rows were left out.</param>
    public InteractionLog FilterItems(Func<string, bool> keepItem, string reason)
    {
        ArgumentNullException.ThrowIfNull(keepItem);
        var keep = new bool[_itemNames.Length];
        for (int i = 0; i < keep.Length; i++) keep[i] = keepItem(_itemNames[i]);
        int kept = 0;
        foreach (int i in _itemOfRow) if (keep[i]) kept++;
        var userMap = new Renumbering(_userNames.Length);
        var itemMap = new Renumbering(_itemNames.Length);
        var users = new int[kept]; var items = new int[kept]; var times = new long[kept]; var strengths = new float[kept];
        int k = 0;
        for (int r = 0; r < Count; r++)
        {
            if (!keep[_itemOfRow[r]]) continue;
            users[k] = userMap.Map(_userOfRow[r]);
            items[k] = itemMap.Map(_itemOfRow[r]);
            times[k] = _timestamps[r];
            strengths[k] = _strengths[r];
            k++;
        }
        var report = Report.WithFilter(reason, Count - kept);
        return new InteractionLog(userMap.Names(_userNames), users, itemMap.Names(_itemNames), items, times, strengths, report);
    }

    private static (string[] Names, int[] OfRow) Intern(string[] ids, string name)
    {
        var table = new InternedIds();
        var ofRow = new int[ids.Length];
        for (int r = 0; r < ids.Length; r++)
            ofRow[r] = table.IndexOf((ids[r] ?? throw new ArgumentException($"{name}[{r}] is null.", name)).AsSpan());
        return (table.Names(), ofRow);
    }

    /// <summary>New dense indices, in first-use order, for the old indices still used.</summary>
    private sealed class Renumbering(int oldCount)
    {
        private readonly int[] _new = Enumerable.Repeat(-1, oldCount).ToArray();
        private readonly List<int> _old = new();

        public int Map(int old)
        {
            if (_new[old] < 0) { _new[old] = _old.Count; _old.Add(old); }
            return _new[old];
        }

        public string[] Names(string[] oldNames)
        {
            var names = new string[_old.Count];
            for (int i = 0; i < names.Length; i++) names[i] = oldNames[_old[i]];
            return names;
        }
    }

    /// <summary>Row r's id, looked up in the table.</summary>
    private sealed class IdsByRow(string[] names, int[] ofRow) : IReadOnlyList<string>
    {
        public string this[int index] => names[ofRow[index]];

        public int Count => ofRow.Length;

        public IEnumerator<string> GetEnumerator()
        {
            for (int r = 0; r < ofRow.Length; r++) yield return names[ofRow[r]];
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}

/// <summary>
/// What a loader did with a file: rows read, rows kept and rows left out with the reason for each group.
/// Nothing is dropped without being counted here.
/// </summary>
public sealed class LoadReport
{
    /// <summary>Creates a report.</summary>
    public LoadReport(string file, long rowsRead, long rowsKept, IReadOnlyDictionary<string, long> rejected)
    {
        File = file;
        RowsRead = rowsRead;
        RowsKept = rowsKept;
        Rejected = rejected;
    }

    /// <summary>The file read.</summary>
    public string File { get; }

    /// <summary>Data rows read (the header is not a row).</summary>
    public long RowsRead { get; }

    /// <summary>Rows kept in the log.</summary>
    public long RowsKept { get; }

    /// <summary>Rows left out, by reason.</summary>
    public IReadOnlyDictionary<string, long> Rejected { get; }

    /// <summary>Total rows left out.</summary>
    public long RowsRejected => Rejected.Values.Sum();

    internal LoadReport WithFilter(string reason, long removed)
    {
        var rejected = new Dictionary<string, long>(Rejected);
        if (removed > 0) rejected[reason] = rejected.GetValueOrDefault(reason) + removed;
        return new LoadReport(File, RowsRead, RowsKept - removed, rejected);
    }
}
