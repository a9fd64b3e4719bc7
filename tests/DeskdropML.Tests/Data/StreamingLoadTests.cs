using DeskdropML.Data;
using DeskdropML.Data.Synthetic;
using Parquet;
using Parquet.Schema;

namespace DeskdropML.Tests.Data;

/// <summary>
/// The streaming loaders: CSV, gzip CSV and Parquet give the same log and dataset, ids are interned once, the
/// counting-sort dataset build equals a direct implementation of the notebook's rules, bad Parquet is one line.
/// </summary>
public class StreamingLoadTests
{
    private static readonly InteractionCsvOptions EventOptions = new() { EventColumn = "event" };

    private static (string Csv, string Parquet) WriteSynthetic(long rows = 20_000, long seed = 7)
    {
        string dir = TestPaths.NewTempDirectory();
        string csv = Path.Combine(dir, "log.csv.gz"), parquet = Path.Combine(dir, "log.parquet");
        new SyntheticLogGenerator(new SyntheticLogOptions { Rows = rows, Users = 800, Items = 400, Seed = seed, Topics = 8 })
            .WriteFiles(csv, parquet);
        return (csv, parquet);
    }

    private static void AssertSameLog(InteractionLog a, InteractionLog b)
    {
        Assert.Equal(a.Count, b.Count);
        Assert.Equal(a.Users, b.Users);
        Assert.Equal(a.Items, b.Items);
        Assert.Equal(a.Timestamps, b.Timestamps);
        Assert.Equal(a.Strengths, b.Strengths);
        Assert.Equal(a.Report.RowsRead, b.Report.RowsRead);
        Assert.Equal(a.Report.RowsKept, b.Report.RowsKept);
    }

    private static void AssertSameDataset(InteractionDataset a, InteractionDataset b)
    {
        Assert.Equal(a.Summary, b.Summary);
        Assert.Equal(a.Users.Ids, b.Users.Ids);
        Assert.Equal(a.Items.Ids, b.Items.Ids);
        foreach (var (x, y) in new[] { (a.Train, b.Train), (a.Test, b.Test) })
        {
            Assert.Equal(x.RowPointers.ToArray(), y.RowPointers.ToArray());
            Assert.Equal(x.ColumnIndices.ToArray(), y.ColumnIndices.ToArray());
            Assert.Equal(x.Values.ToArray(), y.Values.ToArray());
        }
        Assert.Equal(a.TrainTimestamps.ToArray(), b.TrainTimestamps.ToArray());
        Assert.Equal(a.TestTimestamps.ToArray(), b.TestTimestamps.ToArray());
    }

    [Fact]
    public void Gzip_csv_plain_csv_and_parquet_give_the_same_log_and_dataset()
    {
        var (csv, parquet) = WriteSynthetic();
        string plain = Path.ChangeExtension(csv, null); // log.csv
        using (var gz = new System.IO.Compression.GZipStream(File.OpenRead(csv), System.IO.Compression.CompressionMode.Decompress))
        using (var file = File.Create(plain)) gz.CopyTo(file);

        var fromGzip = InteractionLogLoader.Load(csv, EventOptions);
        var fromPlain = InteractionLogLoader.Load(plain, EventOptions);
        var fromParquet = InteractionLogLoader.Load(parquet, EventOptions);
        Assert.Equal(20_000, fromGzip.Count);
        AssertSameLog(fromGzip, fromPlain);
        AssertSameLog(fromGzip, fromParquet);
        var rules = new DatasetOptions { MinItemsPerUser = 5, TestFraction = 0.2 };
        AssertSameDataset(InteractionDataset.Build(fromGzip, rules), InteractionDataset.Build(fromParquet, rules));
    }

    [Fact]
    public void Parquet_is_recognised_by_its_magic_bytes_without_the_extension()
    {
        var (_, parquet) = WriteSynthetic(rows: 500);
        string renamed = Path.Combine(Path.GetDirectoryName(parquet)!, "log.bin");
        File.Copy(parquet, renamed);
        Assert.True(InteractionParquetLoader.IsParquet(renamed));
        Assert.Equal(500, InteractionLogLoader.Load(renamed, EventOptions).Count);
    }

    [Fact]
    public void The_same_id_gets_the_same_index_and_one_string()
    {
        string path = BadInputTests.WriteCsv("user,item,timestamp\nalice,x,1\nbob,x,2\nalice,y,3\nalice,x,4\n");
        var log = InteractionCsvLoader.Load(path);
        Assert.Equal(new[] { "alice", "bob" }, log.UserNames.ToArray());
        Assert.Equal(new[] { "x", "y" }, log.ItemNames.ToArray());
        Assert.Equal(new[] { 0, 1, 0, 0 }, log.UserOfRow.ToArray());
        Assert.Equal(new[] { 0, 0, 1, 0 }, log.ItemOfRow.ToArray());
        Assert.Same(log.Users[0], log.Users[2]);
        Assert.Same(log.Items[0], log.Items[3]);
    }

    [Fact]
    public void Filtering_items_renumbers_the_ids_that_remain()
    {
        string path = BadInputTests.WriteCsv("user,item,timestamp\nalice,x,1\nbob,y,2\ncarol,x,3\n");
        var log = InteractionCsvLoader.Load(path).FilterItems(item => item == "x", "not x");
        Assert.Equal(new[] { "alice", "carol" }, log.Users);
        Assert.Equal(new[] { "alice", "carol" }, log.UserNames.ToArray());
        Assert.Equal(1, log.Report.Rejected["not x"]);
        Assert.Equal(2, InteractionDataset.Build(log, new DatasetOptions { MinItemsPerUser = 1, SplitTime = 2 }).Summary.UsersTotal);
    }

    [Fact]
    public void The_dataset_build_equals_a_direct_implementation_of_the_rules_on_random_logs()
    {
        var random = new Random(5);
        for (int trial = 0; trial < 60; trial++)
        {
            int n = random.Next(0, 200), users = random.Next(1, 15), items = random.Next(1, 12);
            var u = new string[n]; var i = new string[n]; var t = new long[n]; var s = new float[n];
            for (int r = 0; r < n; r++)
            {
                u[r] = "u" + random.Next(users);
                i[r] = "i" + random.Next(items);
                t[r] = random.Next(0, 1000);
                s[r] = new[] { 1f, 2f, 2.5f, 3f, 4f }[random.Next(5)];
            }
            var log = new InteractionLog(u, i, t, s, new LoadReport("random", n, n, new Dictionary<string, long>()));
            var options = random.Next(2) == 0
                ? new DatasetOptions { MinItemsPerUser = random.Next(1, 5), SplitTime = random.Next(0, 1000) }
                : new DatasetOptions { MinItemsPerUser = random.Next(1, 5), TestFraction = 0.3 };
            var built = InteractionDataset.Build(log, options);
            var expected = DirectRules(u, i, t, s, options);
            Assert.Equal(expected.Users, built.Users.Ids);
            Assert.Equal(expected.Items, built.Items.Ids);
            Assert.Equal(expected.Train, Entries(built.Train, built.Users.Ids, built.Items.Ids, built.TrainTimestamps.ToArray()));
            Assert.Equal(expected.Test, Entries(built.Test, built.Users.Ids, built.Items.Ids, built.TestTimestamps.ToArray()));
            Assert.Equal(expected.RowsKept, built.Summary.InteractionsKept);
            Assert.Equal(u.Distinct().Count(), built.Summary.UsersTotal);
        }
    }

    private static List<(string, string, float, long)> Entries(DeskdropML.Sparse.CsrMatrix m, IReadOnlyList<string> users, IReadOnlyList<string> items, long[] times)
    {
        var list = new List<(string, string, float, long)>();
        for (int r = 0; r < m.Rows; r++)
            for (int p = m.RowPointers[r]; p < m.RowPointers[r + 1]; p++)
                list.Add((users[r], items[m.ColumnIndices[p]], m.Values[p], times[p]));
        return list;
    }

    /// <summary>The notebook's rules written as plainly as possible (dictionaries and LINQ), as the reference.</summary>
    private static (string[] Users, string[] Items, List<(string, string, float, long)> Train, List<(string, string, float, long)> Test, long RowsKept)
        DirectRules(string[] u, string[] i, long[] t, float[] s, DatasetOptions options)
    {
        var pairs = new Dictionary<(string, string), (double Sum, long Time)>();
        for (int r = 0; r < u.Length; r++)
        {
            var key = (u[r], i[r]);
            double sum = pairs.TryGetValue(key, out var old) ? old.Sum : 0;
            pairs[key] = (sum + s[r], t[r]);
        }
        var kept = pairs.Keys.GroupBy(k => k.Item1).Where(g => g.Count() >= options.MinItemsPerUser).Select(g => g.Key).ToHashSet();
        var keptPairs = pairs.Where(p => kept.Contains(p.Key.Item1)).ToList();
        var users = kept.OrderBy(x => x, StringComparer.Ordinal).ToArray();
        var items = keptPairs.Select(p => p.Key.Item2).Distinct().OrderBy(x => x, StringComparer.Ordinal).ToArray();
        long split = options.SplitTime ?? (keptPairs.Count == 0 ? 0
            : TimeSplit.AtFraction(keptPairs.Min(p => p.Value.Time), keptPairs.Max(p => p.Value.Time), 1 - options.TestFraction!.Value));
        var ordered = keptPairs
            .OrderBy(p => Array.BinarySearch(users, p.Key.Item1, StringComparer.Ordinal))
            .ThenBy(p => Array.BinarySearch(items, p.Key.Item2, StringComparer.Ordinal))
            .Select(p => (p.Key.Item1, p.Key.Item2, (float)Math.Log2(1 + p.Value.Sum), p.Value.Time)).ToList();
        long rowsKept = u.Count(kept.Contains);
        return (users, items, ordered.Where(e => e.Time < split).ToList(), ordered.Where(e => e.Time >= split).ToList(), rowsKept);
    }

    private static void WriteTypedParquet(string path, long[] users, int?[] items, long[] times, double[] weights)
    {
        var user = new DataField<long>("user", false);
        var item = new DataField<int?>("item");
        var time = new DataField<long>("timestamp", false);
        var weight = new DataField<double>("w", false);
        using var stream = File.Create(path);
        var writer = ParquetWriter.CreateAsync(new ParquetSchema(user, item, time, weight), stream).GetAwaiter().GetResult();
        using (var group = writer.CreateRowGroup())
        {
            group.WriteAsync<long>(user, users).GetAwaiter().GetResult();
            group.WriteAsync<int>(item, items).GetAwaiter().GetResult();
            group.WriteAsync<long>(time, times).GetAwaiter().GetResult();
            group.WriteAsync<double>(weight, weights).GetAwaiter().GetResult();
        }
        writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Fact]
    public void Parquet_with_integer_ids_nullable_columns_and_a_weight_loads_like_the_csv()
    {
        string dir = TestPaths.NewTempDirectory();
        string parquet = Path.Combine(dir, "ints.parquet");
        WriteTypedParquet(parquet, [10, 11, 10], [7, 8, 8], [1_475_000_000_000, 1_475_000_001_000, 1_475_000_002_000], [1, 2.5, 0]);
        string csv = BadInputTests.WriteCsv("user,item,timestamp,w\n10,7,1475000000000,1\n11,8,1475000001000,2.5\n10,8,1475000002000,0\n");
        var options = new InteractionCsvOptions { WeightColumn = "w" };
        AssertSameLog(InteractionCsvLoader.Load(csv, options), InteractionParquetLoader.Load(parquet, options));
        Assert.Equal(new long[] { 1_475_000_000, 1_475_000_001, 1_475_000_002 }, InteractionParquetLoader.Load(parquet, options).Timestamps);

        // A null id is an empty id: the error names the file, the row and the column.
        string nulls = Path.Combine(dir, "nulls.parquet");
        WriteTypedParquet(nulls, [10, 11], [7, null], [1, 2], [1, 1]);
        var ex = Assert.Throws<DataFormatException>(() => InteractionParquetLoader.Load(nulls, options));
        Assert.Equal($"{nulls}:2: column 'item': the item id is empty", ex.Message);
    }

    [Fact]
    public void A_damaged_or_foreign_parquet_file_is_one_line_naming_the_file()
    {
        var (_, parquet) = WriteSynthetic(rows: 2_000);
        string dir = Path.GetDirectoryName(parquet)!;
        var bytes = File.ReadAllBytes(parquet);

        string truncated = Path.Combine(dir, "truncated.parquet");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        string corrupted = Path.Combine(dir, "corrupted.parquet");
        var damaged = (byte[])bytes.Clone();
        for (int k = 8; k < damaged.Length / 2; k += 7) damaged[k] ^= 0x5A; // pages, not the footer
        File.WriteAllBytes(corrupted, damaged);
        string text = Path.Combine(dir, "text.parquet");
        File.WriteAllText(text, "user,item,timestamp\nu,i,1\n");
        string empty = Path.Combine(dir, "empty.parquet");
        File.WriteAllBytes(empty, []);

        foreach (var path in new[] { truncated, corrupted, text, empty })
        {
            var ex = Assert.Throws<DataFormatException>(() => InteractionLogLoader.Load(path, EventOptions));
            Assert.Equal(path, ex.File);
            Assert.StartsWith(path + ":", ex.Message);
            Assert.DoesNotContain('\n', ex.Message);
        }
        var missing = Assert.Throws<DataFormatException>(() => InteractionLogLoader.Load(parquet, new InteractionCsvOptions { UserColumn = "person", EventColumn = "event" }));
        Assert.Contains("the user column is missing from the Parquet schema (columns: user, item, timestamp, event)", missing.Message);
    }

    [Fact]
    public void Progress_is_reported_every_two_to_the_twenty_rows_read()
    {
        var reports = new List<long>();
        var rows = new InteractionLogBuilder("f", EventOptions, "user", "item", "timestamp", "event", reports.Add);
        for (long r = 0; r < 3 * InteractionLogBuilder.ProgressInterval + 5; r++) rows.CountRead();
        Assert.Equal(new[] { 1L << 20, 2L << 20, 3L << 20 }, reports);
        Assert.Equal(3 * InteractionLogBuilder.ProgressInterval + 5, rows.RowsRead);
    }
}
