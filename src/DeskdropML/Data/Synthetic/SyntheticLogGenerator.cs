using DeskdropML.Memory;
using DeskdropML.Persistence;

namespace DeskdropML.Data.Synthetic;

/// <summary>
/// Generates a news-feed-like implicit-feedback log of any size, streaming: planted topics, Zipf item popularity,
/// Deskdrop's event mix, timestamps over a period (a year by default) with attention that decays after each item's
/// publish time. Written as gzip CSV and/or Parquet with the columns <c>user,item,timestamp,event</c> that
/// <c>deskdrop --interactions FILE --event-col event</c> reads.
/// </summary>
/// <remarks>
/// <para><b>Model.</b> Item i has a topic (uniform over <see cref="SyntheticLogOptions.Topics"/>), a popularity weight
/// k^−s for its rank k in a random permutation (Zipf, exponent s), and a publish time uniform over the period. User u
/// has <see cref="SyntheticLogOptions.TopicsPerUser"/> topics and an activity a_u = exp(σ·z), z standard normal; user u
/// gets ⌊R·A_u/A⌋ − ⌊R·A_(u−1)/A⌋ rows (A_u the cumulative activity), so the rows sum to exactly R. Each of a user's
/// events after the first revisits an item of one of the user's earlier events with probability p_repeat, at that
/// event's time plus an exponential delay; otherwise its item is drawn by popularity within one of the user's topics
/// (probability <see cref="SyntheticLogOptions.TopicAffinity"/>) or among all items, at the item's publish time plus
/// an exponential age with half-life h (a time past the end is redrawn up to 8 times, then clamped to the last
/// second). The event type is drawn from the event mix.</para>
/// <para><b>Order.</b> Rows are grouped by user (u0, u1, ...); a user's rows are in time order (ties in draw order).
/// The file as a whole is not sorted by time.</para>
/// <para><b>Determinism.</b> One xoshiro256** stream for the items and activities and one per user, all derived from
/// the seed: the same options give the same rows and the same file bytes.</para>
/// <para><b>Memory model.</b> O(users + items): 8 bytes per user (activity), about 40 bytes per item (topic, publish
/// time, alias tables), one block of 65,536 rows, and one user's events; never the whole log. The Parquet writer also
/// holds one row group (2^20 rows, about 60 MB).</para>
/// </remarks>
public sealed class SyntheticLogGenerator
{
    /// <summary>The header of the CSV (and the Parquet column names).</summary>
    public static readonly string[] Columns = ["user", "item", "timestamp", "event"];

    private readonly SyntheticLogOptions _o;
    private readonly string[] _eventNames;
    private readonly double[] _eventCumulative;

    /// <summary>A generator for <paramref name="options"/> (validated here).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (named).</exception>
    /// <exception cref="MemoryBudgetException">The run would not fit in the memory limit (<see cref="EstimatedBytes"/>).</exception>
    public SyntheticLogGenerator(SyntheticLogOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _o = options;
        MemoryBudget.Require($"a synthetic log of {options.Users:N0} users and {options.Items:N0} items", nameof(options.Users), options.Users,
            EstimatedBytes(options, parquet: true), Math.Max(options.Users, options.Items));
        _eventNames = options.EventMix.Select(e => e.Key).ToArray();
        double total = options.EventMix.Sum(e => e.Value), sum = 0;
        _eventCumulative = options.EventMix.Select(e => (sum += e.Value) / total).ToArray();
        _eventCumulative[^1] = 1.0;
    }

    /// <summary>
    /// Estimated bytes a run needs (the memory model above): 8 per user, about 96 per item (topic, rank, weight,
    /// publish time, the global and per-topic alias tables), 16 MiB of blocks and buffers, and 128 MiB more for the
    /// Parquet row group being assembled.
    /// </summary>
    public static double EstimatedBytes(SyntheticLogOptions options, bool parquet)
    {
        ArgumentNullException.ThrowIfNull(options);
        return 8.0 * options.Users + 96.0 * options.Items + (16 << 20) + (parquet ? 128 << 20 : 0);
    }

    /// <summary>Event type names, indexed by the event numbers of the generated rows.</summary>
    internal IReadOnlyList<string> EventNames => _eventNames;

    /// <summary>Writes the log as gzip-compressed CSV to <paramref name="output"/>.</summary>
    /// <param name="output">The stream to write (left open).</param>
    /// <param name="progress">Called with the rows written so far, about every 2^20 rows.</param>
    public void WriteCsvGzip(Stream output, Action<long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var csv = new SyntheticCsvSink(output, _eventNames);
        Generate(csv.Write, progress);
    }

    /// <summary>Writes the log as Parquet (Snappy, row groups of 2^20 rows) to <paramref name="output"/>.</summary>
    public void WriteParquet(Stream output, Action<long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var parquet = new SyntheticParquetSink(output, _eventNames);
        Generate(parquet.Write, progress);
    }

    /// <summary>
    /// Writes the gzip CSV and/or the Parquet file in one pass, each all-or-nothing through <see cref="AtomicFile"/>.
    /// With both, the Parquet file is complete (renamed) just before the CSV is.
    /// </summary>
    public void WriteFiles(string? csvGzipPath, string? parquetPath, Action<long>? progress = null)
    {
        if (csvGzipPath is null && parquetPath is null) throw new ArgumentException("Give at least one output path.");
        if (csvGzipPath is not null && parquetPath is not null)
            AtomicFile.Write(csvGzipPath, csvStream => AtomicFile.Write(parquetPath, parquetStream =>
            {
                using var csv = new SyntheticCsvSink(csvStream, _eventNames);
                using var parquet = new SyntheticParquetSink(parquetStream, _eventNames);
                Generate(batch => { csv.Write(batch); parquet.Write(batch); }, progress);
            }));
        else if (csvGzipPath is not null) AtomicFile.Write(csvGzipPath, s => WriteCsvGzip(s, progress));
        else AtomicFile.Write(parquetPath!, s => WriteParquet(s, progress));
    }

    /// <summary>Generates every row, in blocks handed to <paramref name="sink"/>.</summary>
    internal void Generate(Action<SyntheticBatch> sink, Action<long>? progress)
    {
        var o = _o;
        long start = o.StartTime, end = o.StartTime + 86_400L * o.Days;
        double halfLifeSeconds = o.HalfLifeHours * 3600;
        var setup = new SyntheticRandom(o.Seed, 0);

        // Items: topic, popularity (Zipf over a random rank permutation), publish time.
        var topicOf = new int[o.Items];
        for (int i = 0; i < o.Items; i++) topicOf[i] = setup.Next(o.Topics);
        var byRank = new int[o.Items];
        for (int i = 0; i < o.Items; i++) byRank[i] = i;
        for (int i = o.Items - 1; i > 0; i--)
        {
            int j = setup.Next(i + 1);
            (byRank[i], byRank[j]) = (byRank[j], byRank[i]);
        }
        var weight = new double[o.Items];
        for (int k = 0; k < o.Items; k++) weight[byRank[k]] = Math.Pow(k + 1, -o.ZipfExponent);
        var publish = new long[o.Items];
        for (int i = 0; i < o.Items; i++) publish[i] = start + (long)(setup.NextDouble() * (end - start));
        var all = new AliasTable(Enumerable.Range(0, o.Items).ToArray(), weight);
        var byTopic = new AliasTable?[o.Topics];
        foreach (var group in Enumerable.Range(0, o.Items).GroupBy(i => topicOf[i]))
        {
            var members = group.ToArray();
            byTopic[group.Key] = new AliasTable(members, members.Select(i => weight[i]).ToArray());
        }

        // Users: activity shares.
        var activity = new double[o.Users];
        double totalActivity = 0;
        for (int u = 0; u < o.Users; u++) totalActivity += activity[u] = Math.Exp(o.ActivitySigma * setup.NextGaussian());

        var batch = new SyntheticBatch();
        var events = new Event[64];
        var userTopics = new int[o.TopicsPerUser];
        double cumulative = 0;
        long assigned = 0, written = 0, nextReport = 1 << 20;
        for (int u = 0; u < o.Users; u++)
        {
            cumulative += activity[u];
            long upTo = u == o.Users - 1 ? o.Rows : Math.Min(o.Rows, (long)Math.Floor(o.Rows * (cumulative / totalActivity)));
            long count = Math.Max(0, upTo - assigned);
            assigned += count;
            if (count == 0) continue;
            if (count > events.Length) events = new Event[(int)Math.Min(Array.MaxLength, Math.Max(count, 2L * events.Length))];

            var random = new SyntheticRandom(o.Seed, u + 1L);
            for (int t = 0; t < userTopics.Length; t++) userTopics[t] = random.Next(o.Topics);
            for (int j = 0; j < count; j++)
            {
                int item;
                long from;
                if (j > 0 && random.NextDouble() < o.RepeatProbability)
                {
                    ref var earlier = ref events[random.Next(j)];
                    item = earlier.Item;
                    from = earlier.Time;
                }
                else
                {
                    var table = random.NextDouble() < o.TopicAffinity ? byTopic[userTopics[random.Next(userTopics.Length)]] ?? all : all;
                    item = table.Sample(ref random);
                    from = publish[item];
                }
                long time = from + Age(ref random, halfLifeSeconds);
                for (int retry = 0; retry < 8 && time >= end; retry++) time = from + Age(ref random, halfLifeSeconds);
                if (time >= end) time = end - 1;
                events[j] = new Event(time, j, item, EventType(ref random));
            }
            var mine = events.AsSpan(0, (int)count);
            mine.Sort(static (a, b) => a.Time != b.Time ? a.Time.CompareTo(b.Time) : a.Order.CompareTo(b.Order));
            foreach (ref readonly var e in mine)
            {
                batch.Add(u, e.Item, e.Time, e.Type);
                if (!batch.IsFull) continue;
                sink(batch);
                written += batch.Count;
                batch.Count = 0;
                if (written >= nextReport) { progress?.Invoke(written); nextReport += 1 << 20; }
            }
        }
        if (batch.Count > 0) { sink(batch); written += batch.Count; batch.Count = 0; }
        progress?.Invoke(written);
    }

    /// <summary>An exponential age in whole seconds with the given half-life: −ln(U)·h/ln 2.</summary>
    private static long Age(ref SyntheticRandom random, double halfLifeSeconds) =>
        (long)(-Math.Log(random.NextOpenDouble()) * halfLifeSeconds / Math.Log(2));

    private byte EventType(ref SyntheticRandom random)
    {
        double x = random.NextDouble();
        int k = 0;
        while (x >= _eventCumulative[k] && k < _eventCumulative.Length - 1) k++;
        return (byte)k;
    }

    private readonly record struct Event(long Time, int Order, int Item, byte Type);
}
