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
        var dataset = DeskdropBenchmark.Load(TestPaths.NotebooksData, DeskdropBenchmarkKind.Deskdrop).Dataset;
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
        var result = tuner.Tune(dataset, space, fit, new Progress(output));
        output.WriteLine(result.ToJson("ffm").ToJsonString());
        Assert.Equal("validation", result.SelectedOn);
        Assert.True(result.Test.Users > 0);
    }

    private sealed class Progress(ITestOutputHelper output) : IProgress<TuningProgress>
    {
        public void Report(TuningProgress p) => output.WriteLine(
            $"trial {p.Trial}/{p.TotalTrials} rung {p.Rung} budget {p.Budget}: {p.Parameters} -> NDCG@10 {p.ValidationScore:F4} (best {p.BestValidationScore:F4})");
    }
}
