using System.Diagnostics;
using DeskdropML.Sparse;
using DeskdropML.Trainers.Als;

namespace DeskdropML.Benchmarks;

/// <summary>
/// <c>als synthetic|deskdrop [iterations]</c>: wall time of ALS iterations (a user and an item half-step, the
/// trainer's own <see cref="AlsIterationInfo.Seconds"/>, which leaves out the objective evaluation) for the
/// conjugate-gradient solver (3 steps) and the Cholesky solver, 1 and 2 threads; the median per iteration is printed.
/// Factors: DESKDROP_ALS_FACTORS, default 64; regularization 0.01, confidence 1 + r (the trainer's defaults), seed 1.
/// Each (solver, threads) pair is a fresh fit, so the first iteration carries the JIT's first-call cost; with 3 or
/// more iterations the median leaves it out. A second fit without a progress sink gives wall and process CPU time per
/// iteration of a whole fit (data transpose and initialisation included), a figure less sensitive to a loaded machine.
/// </summary>
public static class AlsIterations
{
    /// <summary>Runs the timing; returns the process exit code.</summary>
    public static int Run(string which, int iterations)
    {
        int factors = int.TryParse(Environment.GetEnvironmentVariable("DESKDROP_ALS_FACTORS"), out int f) && f > 0 ? f : 64;
        var (train, users, items) = which == "synthetic"
            ? (BenchmarkData.Synthetic.Train, BenchmarkData.Synthetic.Users, BenchmarkData.Synthetic.Items)
            : (BenchmarkData.Deskdrop.Dataset.Train, BenchmarkData.Deskdrop.Dataset.Users, BenchmarkData.Deskdrop.Dataset.Items);
        Console.WriteLine($"{which}: {train.Rows} x {train.Columns}, {train.NonZeroCount} train pairs; ALS {factors} factors, {iterations} iterations");
        foreach (var solver in new[] { AlsSolver.ConjugateGradient, AlsSolver.Cholesky })
        {
            foreach (int threads in new[] { 1, 2 })
            {
                var options = new AlsTrainer.Options
                {
                    NumberOfFactors = factors, NumberOfIterations = iterations, Solver = solver, ConjugateGradientSteps = 3,
                    NumberOfThreads = threads, Seed = 1,
                };
                var times = new List<double>(iterations);
                new AlsTrainer(options).Fit(train, users, items, new Sink(times));
                // A second fit without a progress sink (so no objective): its process CPU time per iteration.
                var process = Process.GetCurrentProcess();
                var cpu0 = process.TotalProcessorTime;
                var wall = Stopwatch.StartNew();
                new AlsTrainer(options).Fit(train, users, items);
                wall.Stop();
                process.Refresh();
                double cpu = (process.TotalProcessorTime - cpu0).TotalSeconds;
                var sorted = times.ToArray();
                Array.Sort(sorted);
                string name = solver == AlsSolver.ConjugateGradient ? "cg" : "cholesky";
                Console.WriteLine($"{name} {threads} thread(s): median {sorted[sorted.Length / 2] * 1000:F1} ms/iteration " +
                    $"(min {sorted[0] * 1000:F1}, max {sorted[^1] * 1000:F1}; iterations {string.Join(" ", times.Select(t => (t * 1000).ToString("F0")))} ms); " +
                    $"second fit {wall.Elapsed.TotalMilliseconds / iterations:F1} ms wall, {cpu * 1000 / iterations:F1} ms process CPU per iteration");
            }
        }
        return 0;
    }

    private sealed class Sink(List<double> times) : IProgress<AlsIterationInfo>
    {
        public void Report(AlsIterationInfo value) => times.Add(value.Seconds);
    }
}
