using System.Diagnostics;
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
    /// Loads the synthetic log with the library's pipeline (Deskdrop event strengths, >= 5 distinct items, log2(1 + sum),
    /// last row in file order, split at <see cref="SyntheticSplit"/>). Returns the kept users x items training matrix.
    /// </summary>
    public static (CsrMatrix Train, int UsersKept, int TestPairs) LoadSynthetic(string path)
    {
        var log = DeskdropML.Data.InteractionCsvLoader.Load(path, new DeskdropML.Data.InteractionCsvOptions { EventColumn = "event" });
        var ds = DeskdropML.Data.InteractionDataset.Build(log, new DeskdropML.Data.DatasetOptions { SplitTime = SyntheticSplit });
        return (ds.Train, ds.Summary.UsersKept, ds.Summary.TestPairs);
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
