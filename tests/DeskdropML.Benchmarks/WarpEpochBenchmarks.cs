using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using DeskdropML.Sparse;
using DeskdropML.Trainers.Warp;

namespace DeskdropML.Benchmarks;

/// <summary>
/// One WARP epoch (<see cref="WarpTrainer.FitPartial"/> with 1 epoch, i.e. including the per-call setup: copying the
/// model's arrays, the pair list and the final representation precomputation) on the <c>deskdrop</c> training
/// matrix (1,140 x 2,984, 29,329 pairs), 10 components, from a model already trained for 5 epochs.
/// </summary>
[Config(typeof(ShortRunConfig))]
public class WarpDeskdropEpoch
{
    private WarpTrainer _trainer = null!;
    private WarpModelParameters _model = null!;
    private CsrMatrix _train = null!;

    [Params(1, 2)]
    public int Threads;

    [GlobalSetup]
    public void Setup()
    {
        var data = BenchmarkData.Deskdrop.Dataset;
        _train = data.Train;
        var options = new WarpTrainer.Options { NumberOfComponents = 10, NumberOfEpochs = 5, NumberOfThreads = Threads, Seed = 1 };
        _trainer = new WarpTrainer(options);
        _model = _trainer.Fit(_train, data.Users, data.Items);
    }

    [Benchmark]
    public WarpModelParameters Epoch() => _trainer.FitPartial(_model, _train, 1);
}

/// <summary>
/// One WARP epoch on the synthetic-2m training matrix (80,436 x 20,000, 1,268,250 pairs), 32 components, from a model
/// trained for 1 epoch.
/// </summary>
[Config(typeof(LongOperationConfig))]
public class WarpSyntheticEpoch
{
    private WarpTrainer _trainer = null!;
    private WarpModelParameters _model = null!;
    private CsrMatrix _train = null!;

    [Params(1, 2)]
    public int Threads;

    [Params(WarpLoss.Warp)]
    public WarpLoss Loss;

    [GlobalSetup]
    public void Setup()
    {
        var data = BenchmarkData.Synthetic;
        _train = data.Train;
        var options = new WarpTrainer.Options { NumberOfComponents = 32, NumberOfEpochs = 1, NumberOfThreads = Threads, Loss = Loss, Seed = 1 };
        _trainer = new WarpTrainer(options);
        _model = _trainer.Fit(_train, data.Users, data.Items);
    }

    [Benchmark]
    public WarpModelParameters Epoch() => _trainer.FitPartial(_model, _train, 1);
}

/// <summary>A short job: 1 launch, 3 warm-up and 5 measured iterations.</summary>
public sealed class ShortRunConfig : ManualConfig
{
    public ShortRunConfig() => AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(5).WithId("short"));
}

/// <summary>For second-long operations: one invocation per iteration, 1 warm-up, 5 measured iterations.</summary>
public sealed class LongOperationConfig : ManualConfig
{
    public LongOperationConfig() => AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(5)
        .WithInvocationCount(1).WithUnrollFactor(1).WithId("long"));
}
