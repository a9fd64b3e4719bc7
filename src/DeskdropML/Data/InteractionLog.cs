namespace DeskdropML.Data;

/// <summary>
/// Interaction rows as read from a file, in file order: user id, item id, Unix timestamp (seconds) and the
/// row's strength (its event strength or weight column; 1 when the file has neither).
/// </summary>
public sealed class InteractionLog
{
    /// <summary>Creates a log from parallel arrays (all of equal length).</summary>
    public InteractionLog(string[] users, string[] items, long[] timestamps, float[] strengths, LoadReport report)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(timestamps);
        ArgumentNullException.ThrowIfNull(strengths);
        if (items.Length != users.Length || timestamps.Length != users.Length || strengths.Length != users.Length)
            throw new ArgumentException("users, items, timestamps and strengths must have equal lengths.");
        Users = users;
        Items = items;
        Timestamps = timestamps;
        Strengths = strengths;
        Report = report ?? throw new ArgumentNullException(nameof(report));
    }

    /// <summary>User id of each row.</summary>
    public IReadOnlyList<string> Users { get; }

    /// <summary>Item id of each row.</summary>
    public IReadOnlyList<string> Items { get; }

    /// <summary>Timestamp of each row (Unix seconds).</summary>
    public IReadOnlyList<long> Timestamps { get; }

    /// <summary>Strength of each row.</summary>
    public IReadOnlyList<float> Strengths { get; }

    /// <summary>Number of rows.</summary>
    public int Count => Users.Count;

    /// <summary>What the loader read, kept and rejected.</summary>
    public LoadReport Report { get; }

    /// <summary>The rows whose item id satisfies <paramref name="keepItem"/>, in file order.</summary>
    /// <param name="keepItem">Predicate on the item id.</param>
    /// <param name="reason">Counted in the report as the reason rows were left out.</param>
    public InteractionLog FilterItems(Func<string, bool> keepItem, string reason)
    {
        ArgumentNullException.ThrowIfNull(keepItem);
        var u = new List<string>(); var i = new List<string>(); var t = new List<long>(); var s = new List<float>();
        for (int r = 0; r < Count; r++)
        {
            if (!keepItem(Items[r])) continue;
            u.Add(Users[r]); i.Add(Items[r]); t.Add(Timestamps[r]); s.Add(Strengths[r]);
        }
        var report = Report.WithFilter(reason, Count - u.Count);
        return new InteractionLog(u.ToArray(), i.ToArray(), t.ToArray(), s.ToArray(), report);
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
