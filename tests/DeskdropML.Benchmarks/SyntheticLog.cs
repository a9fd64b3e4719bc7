using System.Globalization;
using System.IO.Compression;
using DeskdropML.Sparse;

namespace DeskdropML.Benchmarks;

/// <summary>
/// A small self-contained loader of the synthetic log (<c>user,item,timestamp,event</c>, gzip) for the benchmarks,
/// following the design's rules: event strengths VIEW 1, LIKE 2, BOOKMARK 2.5, FOLLOW 3, COMMENT CREATED 4 summed
/// per (user, item) and mapped through log2(1 + x); a pair's time is its last row in file order; users with at
/// least 5 distinct items are kept; pairs dated before the split time form the training matrix.
/// </summary>
public sealed class SyntheticLog
{
    /// <summary>The split time of the synthetic benchmark.</summary>
    public const long SplitTime = 1484228800;

    public required IdMap Users { get; init; }
    public required IdMap Items { get; init; }
    public required CsrMatrix Train { get; init; }
    public required CsrMatrix Test { get; init; }

    public static string DefaultPath =>
        Environment.GetEnvironmentVariable("DESKDROP_SYNTHETIC") ?? "/work/shared/data/synthetic/synthetic-2m.csv.gz";

    private static float Strength(ReadOnlySpan<char> evt, string path, long line) => evt switch
    {
        "VIEW" => 1f,
        "LIKE" => 2f,
        "BOOKMARK" => 2.5f,
        "FOLLOW" => 3f,
        "COMMENT CREATED" => 4f,
        _ => throw new InvalidDataException($"{path}:{line}: unknown event type '{evt.ToString()}'."),
    };

    public static SyntheticLog Load(string path, int minItems = 5, long splitTime = SplitTime)
    {
        var userIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var itemIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var userNames = new List<string>();
        var itemNames = new List<string>();
        var pairs = new Dictionary<long, (float Sum, long Time)>();
        using var file = File.OpenRead(path);
        using var gz = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(gz);
        string? header = reader.ReadLine();
        if (header is null || !header.StartsWith("user,item,timestamp,event", StringComparison.Ordinal))
            throw new InvalidDataException($"{path}:1: expected the header user,item,timestamp,event.");
        long lineNo = 1;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNo++;
            var span = line.AsSpan();
            int c1 = span.IndexOf(',');
            int c2 = c1 < 0 ? -1 : span[(c1 + 1)..].IndexOf(',') + c1 + 1;
            int c3 = c2 <= c1 ? -1 : span[(c2 + 1)..].IndexOf(',') + c2 + 1;
            if (c1 < 0 || c2 <= c1 || c3 <= c2)
                throw new InvalidDataException($"{path}:{lineNo}: expected 4 comma-separated fields.");
            string user = span[..c1].ToString();
            string item = span[(c1 + 1)..c2].ToString();
            long time = long.Parse(span[(c2 + 1)..c3], CultureInfo.InvariantCulture);
            float strength = Strength(span[(c3 + 1)..], path, lineNo);
            if (!userIndex.TryGetValue(user, out int u)) { u = userNames.Count; userIndex.Add(user, u); userNames.Add(user); }
            if (!itemIndex.TryGetValue(item, out int i)) { i = itemNames.Count; itemIndex.Add(item, i); itemNames.Add(item); }
            long key = ((long)u << 32) | (uint)i;
            pairs[key] = pairs.TryGetValue(key, out var acc) ? (acc.Sum + strength, time) : (strength, time);
        }

        var distinct = new int[userNames.Count];
        foreach (long key in pairs.Keys) distinct[(int)(key >> 32)]++;
        var keptUsers = IdMap.FromIds(userNames.Where((_, u) => distinct[u] >= minItems));
        var keptItemIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (long key in pairs.Keys)
            if (distinct[(int)(key >> 32)] >= minItems) keptItemIds.Add(itemNames[(int)(uint)key]);
        var items = IdMap.FromIds(keptItemIds);
        var userRemap = new int[userNames.Count];
        for (int u = 0; u < userRemap.Length; u++) userRemap[u] = keptUsers.IndexOf(userNames[u]);
        var itemRemap = new int[itemNames.Count];
        for (int i = 0; i < itemRemap.Length; i++) itemRemap[i] = items.IndexOf(itemNames[i]);

        var train = (Rows: new List<int>(), Cols: new List<int>(), Vals: new List<float>());
        var test = (Rows: new List<int>(), Cols: new List<int>(), Vals: new List<float>());
        foreach (var (key, (sum, time)) in pairs)
        {
            int u = userRemap[(int)(key >> 32)];
            if (u < 0) continue;
            int i = itemRemap[(int)(uint)key];
            var target = time < splitTime ? train : test;
            target.Rows.Add(u);
            target.Cols.Add(i);
            target.Vals.Add(MathF.Log2(1f + sum));
        }
        return new SyntheticLog
        {
            Users = keptUsers,
            Items = items,
            Train = CsrMatrix.FromTriplets(keptUsers.Count, items.Count, train.Rows.ToArray(), train.Cols.ToArray(), train.Vals.ToArray()),
            Test = CsrMatrix.FromTriplets(keptUsers.Count, items.Count, test.Rows.ToArray(), test.Cols.ToArray(), test.Vals.ToArray()),
        };
    }
}
