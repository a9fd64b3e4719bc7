using DeskdropML.Data;
using DeskdropML.Trainers.Ffm;
using DeskdropML.Tuning;
using Xunit.Abstractions;

namespace DeskdropML.Tests.Tuning;

/// <summary>
/// Tunes the FFM baseline on deskdrop's carved validation split and reports the retrained winner's test metrics.
/// Run with --filter "FullyQualifiedName~TuneFfm" --settings tests/DeskdropML.Tests/benchmarks.runsettings.
/// </summary>
public class TuneFfmOnDeskdropBenchmark(ITestOutputHelper output)
{
    [Theory]
    [Trait("Category", "Benchmark")]
    [InlineData(false)]
    [InlineData(true)]
    public void Tune_ffm_on_deskdrop(bool selectAmongAllRungs)
    {
        var space = new SearchSpace()
            .AddChoice("latent_dimension", 8, 16, 32)
            .AddFloat("learning_rate", 0.02, 0.5, logScale: true)
            .AddChoice("negatives_per_positive", 2, 4, 8);
        TrialFit fit = (split, p, iterations) => FfmRecommender.Fit(split.Train, split.Users, split.Items, new FfmRecommender.Options
        {
            LatentDimension = p.GetInt("latent_dimension"),
            LearningRate = p.GetFloat("learning_rate"),
            NegativesPerPositive = p.GetInt("negatives_per_positive"),
            NumberOfIterations = iterations,
            Seed = p.Seed,
        });
        var tuner = new HyperparameterTuner(new HyperparameterTuner.Options { Trials = 9, Seed = 1, MinBudget = 2, MaxBudget = 18, Eta = 3, SelectAmongAllRungs = selectAmongAllRungs });
        var (benchmark, folds) = Evaluation.BacktestAssert.WeeklyFolds(DeskdropBenchmarkKind.Deskdrop);
        var validation = new DeskdropML.Evaluation.Protocols.RollingBacktest().ValidationFolds(
            DeskdropML.Evaluation.Protocols.InteractionHistory.Build(benchmark.Log), DeskdropML.Evaluation.Protocols.CandidatePolicy.Seen);
        var result = tuner.Tune(validation, folds, "backtest", space, fit, new Progress(output));
        output.WriteLine(result.Tuning.ToJson("ffm").ToJsonString());
        var (lo, hi) = result.Test.Intervals[DeskdropML.Evaluation.ReportedMetric.Ndcg];
        Assert.True(lo > result.Test.Random.Ndcg, $"tuned ffm: weekly backtest NDCG@10 [{lo:F4}, {hi:F4}] vs random {result.Test.Random.Ndcg:F4}");
    }

    private sealed class Progress(ITestOutputHelper output) : IProgress<TuningProgress>
    {
        public void Report(TuningProgress p) => output.WriteLine(
            $"trial {p.Trial}/{p.TotalTrials} rung {p.Rung} budget {p.Budget}: {p.Parameters} -> NDCG@10 {p.ValidationScore:F4} (best {p.BestValidationScore:F4})");
    }
}
