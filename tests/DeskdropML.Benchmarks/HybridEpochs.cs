using System.Diagnostics;
using DeskdropML.Trainers.Warp;

namespace DeskdropML.Benchmarks;

/// <summary>
/// <c>hybrid [epochs] [warmups]</c>: wall time of WARP epochs on <c>deskdrop-text</c> with item features (identity +
/// the clean TF-IDF text features, the <c>warp_clean</c> model of <c>reproduce</c>), 10 components, learning rate 0.05,
/// 1 and 2 threads. One fit runs <c>warmups + epochs</c> epochs; the median of the last <c>epochs</c> is printed, so
/// the JIT has compiled the hot loops before the timed epochs (each epoch here takes milliseconds).
/// </summary>
public static class HybridEpochs
{
    /// <summary>Runs the timing; returns the process exit code.</summary>
    public static int Run(int epochs, int warmups)
    {
        var ds = BenchmarkData.DeskdropText.Dataset;
        var text = BenchmarkData.DeskdropTextItemFeatures();
        Console.WriteLine($"deskdrop-text: {ds.Train.Rows} x {ds.Train.Columns}, {ds.Train.NonZeroCount} train pairs; item features identity + {text.Columns} TF-IDF terms ({text.NonZeroCount} entries); 10 components");
        foreach (int threads in new[] { 1, 2 })
        {
            var wall = new List<double>();
            var cpu = new List<double>();
            var options = new WarpTrainer.Options
            {
                NumberOfComponents = 10, LearningRate = 0.05f, NumberOfEpochs = warmups + epochs, NumberOfThreads = threads, Seed = 1,
            };
            new WarpTrainer(options).Fit(ds.Train, ds.Users, ds.Items, null, text, new Program.EpochTimes(wall, cpu, print: false));
            double[] w = wall.Skip(warmups).Order().ToArray();
            double[] c = cpu.Skip(warmups).Order().ToArray();
            Console.WriteLine($"{threads} thread(s): median epoch {w[w.Length / 2] * 1000:F2} ms wall over {w.Length} epochs after {warmups} warm-up (min {w[0] * 1000:F2}, max {w[^1] * 1000:F2}); median process CPU per epoch {c[c.Length / 2] * 1000:F2} ms");
        }
        return 0;
    }
}
