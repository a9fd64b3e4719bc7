using System.Diagnostics;
using System.IO.Compression;
using DeskdropML.Sparse;
using DeskdropML.Trainers.Als;

namespace DeskdropML.Tests.Als;

/// <summary>
/// A small timing harness for the ALS trainer (not a test: nothing about speed is asserted). Prints the median wall
/// time of one iteration (user + item half-step) for each solver and thread count.
/// </summary>
internal static class AlsSpeedProbe
{
    /// <summary>The split time of the synthetic benchmark (DESIGN.md section 9).</summary>
    public const long SyntheticSplit = 1484228800;

    /// <summary>A random matrix of the size of the deskdrop training matrix: 1,140 x 2,984 with ~29k entries,
    /// Zipf-like item popularity and log2(1 + strength) values.</summary>
    public static CsrMatrix DeskdropSizeMatrix(int seed = 1)
    {
        const int users = 1140, items = 2984, entries = 29_329;
        var random = new Random(seed);
        var rows = new int[entries];
        var cols = new int[entries];
        var vals = new float[entries];
        for (int n = 0; n < entries; n++)
        {
            rows[n] = random.Next(users);
            cols[n] = (int)(items * Math.Pow(random.NextDouble(), 2.5)); // popular items first
            vals[n] = (float)Math.Log2(1 + 1 + random.Next(4));
        }
        var m = CsrMatrix.FromTriplets(users, items, rows, cols, vals);
        // Duplicates were summed: re-apply the log so values stay in the usual range.
        return m.MapValues(v => MathF.Min(v, 3f));
    }

    /// <summary>
    /// Loads the synthetic log: strengths VIEW 1, LIKE 2, BOOKMARK 2.5, FOLLOW 3, COMMENT CREATED 4 summed per
    /// (user, item), users with at least 5 distinct items kept, a pair is in train when its last row (file order) is
    /// before <see cref="SyntheticSplit"/>; values log2(1 + sum). Returns the users x items training matrix.
    /// </summary>
    public static (CsrMatrix Train, int UsersKept, int TestPairs) LoadSynthetic(string path)
    {
        var userIndex = new Dictionary<string, int>();
        var itemIndex = new Dictionary<string, int>();
        var pairs = new Dictionary<long, (float Sum, long Last)>();
        using (var reader = new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress)))
        {
            string? line = reader.ReadLine(); // header user,item,timestamp,event
            while ((line = reader.ReadLine()) is not null)
            {
                var parts = line.Split(',');
                int u = Index(userIndex, parts[0]);
                int i = Index(itemIndex, parts[1]);
                long t = long.Parse(parts[2]);
                float s = parts[3] switch
                {
                    "VIEW" => 1f, "LIKE" => 2f, "BOOKMARK" => 2.5f, "FOLLOW" => 3f, "COMMENT CREATED" => 4f,
                    _ => throw new InvalidDataException($"Unknown event '{parts[3]}' in {path}."),
                };
                long key = ((long)u << 32) | (uint)i;
                pairs[key] = pairs.TryGetValue(key, out var old) ? (old.Sum + s, t) : (s, t);
            }
        }
        var distinct = new int[userIndex.Count];
        foreach (long key in pairs.Keys) distinct[(int)(key >> 32)]++;
        var rows = new List<int>();
        var cols = new List<int>();
        var vals = new List<float>();
        int test = 0;
        foreach (var (key, value) in pairs)
        {
            int u = (int)(key >> 32);
            if (distinct[u] < 5) continue;
            if (value.Last >= SyntheticSplit) { test++; continue; }
            rows.Add(u);
            cols.Add((int)(key & 0xFFFFFFFF));
            vals.Add(MathF.Log2(1 + value.Sum));
        }
        int kept = distinct.Count(d => d >= 5);
        return (CsrMatrix.FromTriplets(userIndex.Count, itemIndex.Count, rows.ToArray(), cols.ToArray(), vals.ToArray()), kept, test);
    }

    private static int Index(Dictionary<string, int> map, string id)
    {
        if (!map.TryGetValue(id, out int i)) map[id] = i = map.Count;
        return i;
    }

    /// <summary>Fits once per (solver, threads) and prints the median and minimum iteration time.</summary>
    public static void TimeIterations(CsrMatrix train, int factors, int iterations, Action<string> print)
    {
        var users = new IdMap(Enumerable.Range(0, train.Rows).Select(i => "u" + i));
        var items = new IdMap(Enumerable.Range(0, train.Columns).Select(i => "i" + i));
        print($"matrix {train.Rows} x {train.Columns}, {train.NonZeroCount} entries; {factors} factors, {iterations} iterations, {Environment.ProcessorCount} cores");
        foreach (var solver in new[] { AlsSolver.ConjugateGradient, AlsSolver.Cholesky })
        {
            foreach (int threads in new[] { 1, 2 })
            {
                var options = new AlsTrainer.Options { NumberOfFactors = factors, Solver = solver, NumberOfThreads = threads, NumberOfIterations = iterations };
                // Run 1 (with progress): wall time of every iteration's two half-steps.
                var times = new List<double>();
                new AlsTrainer(options).Fit(train, users, items, new Progress(times));
                times.Sort();
                // Run 2 (no progress, so no objective): whole-fit wall and process CPU time.
                var process = System.Diagnostics.Process.GetCurrentProcess();
                TimeSpan cpu0 = process.TotalProcessorTime;
                var wall = Stopwatch.StartNew();
                new AlsTrainer(options).Fit(train, users, items);
                wall.Stop();
                process.Refresh();
                double cpu = (process.TotalProcessorTime - cpu0).TotalSeconds;
                print($"{solver,-18} threads {threads}: median {times[times.Count / 2] * 1000,8:F1} ms/iteration, min {times[0] * 1000,8:F1} ms; " +
                      $"fit {wall.Elapsed.TotalSeconds:F2} s wall, {cpu:F2} s CPU ({cpu / iterations * 1000:F1} ms CPU/iteration); load {LoadAverage()}");
            }
        }
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    private sealed class Progress(List<double> times) : IProgress<AlsIterationInfo>
    {
        public void Report(AlsIterationInfo value) => times.Add(value.Seconds);
    }
}
