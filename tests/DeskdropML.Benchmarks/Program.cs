using System.Diagnostics;
using BenchmarkDotNet.Running;
using DeskdropML.Evaluation;
using DeskdropML.Trainers.Warp;

namespace DeskdropML.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project tests/DeskdropML.Benchmarks -- [BenchmarkDotNet args]</c> runs the
/// BenchmarkDotNet suites; <c>-- quality</c> measures WARP quality on <c>deskdrop</c>;
/// <c>-- epochs deskdrop|synthetic</c> times single epochs with a stopwatch (a quick cross-check);
/// <c>-- als deskdrop|synthetic [iterations]</c> times ALS iterations (<see cref="AlsIterations"/>);
/// <c>-- hybrid [epochs] [warmups]</c> times WARP epochs with text item features on deskdrop-text (<see cref="HybridEpochs"/>);
/// <c>-- export synthetic|deskdrop|deskdrop-text DIR</c> writes the matrices and an ALS model as NPY files for
/// side-by-side measurements of other libraries (<see cref="PeerExport"/>, DEVELOPERS.md).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "quality") return Quality(args.Skip(1).ToArray());
        if (args.Length > 0 && args[0] == "epochs") return Epochs(args.Length > 1 ? args[1] : "deskdrop", args.Length > 2 ? int.Parse(args[2]) : 5);
        if (args.Length > 0 && args[0] == "topk")
            return TopKAllUsers(args.Length > 1 ? args[1] : "deskdrop", args.Length > 2 ? args[2] : "als",
                args.Length > 3 ? int.Parse(args[3]) : 9, args.Length > 4 ? int.Parse(args[4]) : 5);
        if (args.Length > 0 && args[0] == "export")
            return PeerExport.Run(args.Length > 1 ? args[1] : "deskdrop", args.Length > 2 ? args[2] : "peer-export");
        if (args.Length > 0 && args[0] == "als") return AlsIterations.Run(args.Length > 1 ? args[1] : "deskdrop", args.Length > 2 ? int.Parse(args[2]) : 5);
        if (args.Length > 0 && args[0] == "hybrid") return HybridEpochs.Run(args.Length > 1 ? int.Parse(args[1]) : 10, args.Length > 2 ? int.Parse(args[2]) : 5);
        if (args.Length > 0 && args[0] == "partial") return RepeatedPartial(args.Length > 1 ? args[1] : "deskdrop", args.Length > 2 ? int.Parse(args[2]) : 5);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }

    /// <summary>P@10 / R@10 / NDCG@10 of WARP (10 components, 50 epochs) on deskdrop, train items excluded, seeds 1..3.</summary>
    private static int Quality(string[] args)
    {
        int threads = args.Length > 0 ? int.Parse(args[0]) : 1;
        int epochs = args.Length > 1 ? int.Parse(args[1]) : 50;
        var loss = args.Length > 2 ? Enum.Parse<WarpLoss>(args[2], ignoreCase: true) : WarpLoss.Warp;
        var data = BenchmarkData.Deskdrop.Dataset;
        Console.WriteLine($"deskdrop: {data.Users.Count} users x {data.Items.Count} items, {data.Train.NonZeroCount} train / {data.Test.NonZeroCount} test pairs; {loss}, 10 components, {epochs} epochs, {threads} thread(s)");
        double p = 0, r = 0, n = 0, s = 0;
        foreach (int seed in new[] { 1, 2, 3 })
        {
            var trainer = new WarpTrainer(new WarpTrainer.Options { NumberOfComponents = 10, NumberOfEpochs = epochs, Seed = seed, NumberOfThreads = threads, Loss = loss });
            var watch = Stopwatch.StartNew();
            var model = trainer.Fit(data.Train, data.Users, data.Items);
            double fit = watch.Elapsed.TotalSeconds;
            var result = RankingEvaluator.Evaluate(data.Train, data.Test, model, new RankingEvaluationOptions { K = 10, NumberOfThreads = 1 });
            Console.WriteLine($"seed {seed}: P@10 {result.Precision:F4}  R@10 {result.Recall:F4}  NDCG@10 {result.Ndcg:F4}  users {result.UsersEvaluated}  fit {fit:F2} s");
            p += result.Precision / 3; r += result.Recall / 3; n += result.Ndcg / 3; s += fit / 3;
        }
        Console.WriteLine($"mean:   P@10 {p:F4}  R@10 {r:F4}  NDCG@10 {n:F4}  fit {s:F2} s");
        return 0;
    }

    /// <summary>
    /// Top-10 for every user with train items excluded (Recommender.RecommendBatch) over a model fitted with 2 threads:
    /// ALS (64 factors, the default), item-kNN (cosine, 20 neighbours), EASE (λ 500) or PureSVD (15 factors); median of
    /// <paramref name="runs"/> runs after <paramref name="warmups"/> warm-up runs (so the JIT has tiered the kernels
    /// up), 1 and 2 threads. The fit's wall and process CPU time are printed too.
    /// </summary>
    private static int TopKAllUsers(string which, string modelName, int runs, int warmups)
    {
        var (train, users, items) = which == "synthetic"
            ? (BenchmarkData.Synthetic.Train, BenchmarkData.Synthetic.Users, BenchmarkData.Synthetic.Items)
            : (BenchmarkData.Deskdrop.Dataset.Train, BenchmarkData.Deskdrop.Dataset.Users, BenchmarkData.Deskdrop.Dataset.Items);
        var process = Process.GetCurrentProcess();
        var cpu0 = process.TotalProcessorTime;
        var fitWatch = Stopwatch.StartNew();
        DeskdropML.Recommending.IRecommenderModel model = modelName switch
        {
            "als" => new DeskdropML.Trainers.Als.AlsTrainer(new DeskdropML.Trainers.Als.AlsTrainer.Options { NumberOfFactors = 64, NumberOfIterations = 3, NumberOfThreads = 2, Seed = 1 })
                .Fit(train, users, items),
            "itemknn" => new DeskdropML.Trainers.Neighbors.ItemKnnTrainer(new DeskdropML.Trainers.Neighbors.ItemKnnTrainer.Options { NumberOfThreads = 2 }).Fit(train, users, items),
            "ease" => new DeskdropML.Trainers.Ease.EaseTrainer(new DeskdropML.Trainers.Ease.EaseTrainer.Options { NumberOfThreads = 2 }).Fit(train, users, items),
            "svd" => new DeskdropML.Trainers.Svd.PureSvdTrainer(new DeskdropML.Trainers.Svd.PureSvdTrainer.Options { NumberOfThreads = 2, Seed = 1 }).Fit(train, users, items),
            _ => throw new ArgumentException($"unknown model '{modelName}' (als | itemknn | ease | svd)"),
        };
        process.Refresh();
        Console.WriteLine($"{which}: {modelName} fit {fitWatch.Elapsed.TotalSeconds:F2} s wall, {(process.TotalProcessorTime - cpu0).TotalSeconds:F2} s process CPU (2 threads)");
        var recommender = new DeskdropML.Recommending.Recommender(model, train, DeskdropML.Trainers.Popularity.PopularityModel.Fit(train, users, items));
        var all = Enumerable.Range(0, users.Count).ToArray();
        Console.WriteLine($"{which}: top-10 for all {users.Count} users x {items.Count} items, {modelName}, train items excluded");
        foreach (int threads in new[] { 1, 2 })
        {
            for (int w = 0; w < warmups; w++) recommender.RecommendBatch(all, 10, threads);
            var times = new List<double>();
            for (int r = 0; r < runs; r++)
            {
                var watch = Stopwatch.StartNew();
                recommender.RecommendBatch(all, 10, threads);
                times.Add(watch.Elapsed.TotalMilliseconds);
            }
            times.Sort();
            Console.WriteLine($"  {threads} thread(s): median {times[runs / 2]:F1} ms (min {times[0]:F1}, max {times[^1]:F1}) over {runs} runs");
        }
        return 0;
    }

    /// <summary>Median wall time of single epochs (stopwatch), 1 and 2 threads.</summary>
    private static int Epochs(string which, int count)
    {
        var (train, users, items, d) = which == "synthetic"
            ? (BenchmarkData.Synthetic.Train, BenchmarkData.Synthetic.Users, BenchmarkData.Synthetic.Items, 32)
            : (BenchmarkData.Deskdrop.Dataset.Train, BenchmarkData.Deskdrop.Dataset.Users, BenchmarkData.Deskdrop.Dataset.Items, 10);
        Console.WriteLine($"{which}: {users.Count} x {items.Count}, {train.NonZeroCount} train pairs, {d} components");
        foreach (int threads in new[] { 1, 2 })
        {
            var times = new List<double>();
            var cpu = new List<double>();
            var trainer = new WarpTrainer(new WarpTrainer.Options { NumberOfComponents = d, NumberOfEpochs = count, NumberOfThreads = threads, Seed = 1 });
            trainer.Fit(train, users, items, progress: new EpochTimes(times, cpu));
            times.Sort();
            cpu.Sort();
            Console.WriteLine($"{threads} thread(s): median epoch {times[times.Count / 2] * 1000:F1} ms wall over {times.Count} epochs (min {times[0] * 1000:F1}, max {times[^1] * 1000:F1}); median process CPU per epoch {cpu[cpu.Count / 2] * 1000:F1} ms");
        }
        return 0;
    }

    /// <summary>Repeats the benchmarked operation (FitPartial of 1 epoch from the same model) and prints time and memory.</summary>
    private static int RepeatedPartial(string which, int count)
    {
        var (train, users, items, d) = which == "synthetic"
            ? (BenchmarkData.Synthetic.Train, BenchmarkData.Synthetic.Users, BenchmarkData.Synthetic.Items, 32)
            : (BenchmarkData.Deskdrop.Dataset.Train, BenchmarkData.Deskdrop.Dataset.Users, BenchmarkData.Deskdrop.Dataset.Items, 10);
        var trainer = new WarpTrainer(new WarpTrainer.Options { NumberOfComponents = d, NumberOfEpochs = 1, Seed = 1 });
        var model = trainer.Fit(train, users, items);
        var process = Process.GetCurrentProcess();
        for (int k = 0; k < count; k++)
        {
            var cpu0 = process.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            trainer.FitPartial(model, train, 1);
            process.Refresh();
            Console.WriteLine($"{k}: {watch.Elapsed.TotalSeconds:F3} s wall, {(process.TotalProcessorTime - cpu0).TotalSeconds:F3} s CPU, managed {GC.GetTotalMemory(false) >> 20} MiB, working set {process.WorkingSet64 >> 20} MiB, gen2 GCs {GC.CollectionCount(2)}");
        }
        return 0;
    }

    /// <summary>Collects each epoch's wall and process CPU seconds; prints a line per epoch when <paramref name="print"/>.</summary>
    internal sealed class EpochTimes(List<double> wall, List<double> cpu, bool print = true) : IProgress<WarpEpochInfo>
    {
        private TimeSpan _lastCpu = Process.GetCurrentProcess().TotalProcessorTime;

        public void Report(WarpEpochInfo value)
        {
            var now = Process.GetCurrentProcess().TotalProcessorTime;
            wall.Add(value.Elapsed.TotalSeconds);
            cpu.Add((now - _lastCpu).TotalSeconds);
            _lastCpu = now;
            if (print) Console.WriteLine($"  epoch {value.Epoch}: {value.Elapsed.TotalMilliseconds:F1} ms, updates {value.UpdateFraction:P1}, loss {value.MeanLoss:F3}");
        }
    }
}
