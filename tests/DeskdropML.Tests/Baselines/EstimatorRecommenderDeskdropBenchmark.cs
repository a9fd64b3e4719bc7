using System.Diagnostics;
using DeskdropML.Baselines;
using DeskdropML.Data;
using DeskdropML.Evaluation;
using Microsoft.ML;
using Microsoft.ML.Trainers;
using Xunit.Abstractions;

namespace DeskdropML.Tests.Baselines;

/// <summary>
/// The harness with an in-box additive pipeline on deskdrop. Run with
/// --filter "FullyQualifiedName~EstimatorRecommenderDeskdrop" --settings tests/DeskdropML.Tests/benchmarks.runsettings.
/// </summary>
public class EstimatorRecommenderDeskdropBenchmark(ITestOutputHelper output)
{
    [Fact]
    [Trait("Category", "Benchmark")]
    public void One_hot_sdca_on_deskdrop()
    {
        var ds = DeskdropBenchmark.Load(TestPaths.NotebooksData, DeskdropBenchmarkKind.Deskdrop).Dataset;
        var ml = new MLContext(1);
        var estimator = ml.Transforms.Categorical.OneHotEncoding("U", "UserId")
            .Append(ml.Transforms.Categorical.OneHotEncoding("I", "ItemId"))
            .Append(ml.Transforms.Concatenate("Features", "U", "I"))
            .Append(ml.Regression.Trainers.Sdca(new SdcaRegressionTrainer.Options { LabelColumnName = "Label", FeatureColumnName = "Features", NumberOfThreads = 1 }));
        var watch = Stopwatch.StartNew();
        var model = new EstimatorRecommender(ml, estimator, new EstimatorRecommender.Options { NegativesPerPositive = 4, Seed = 1 })
            .Fit(ds.Train, ds.Users, ds.Items);
        double seconds = watch.Elapsed.TotalSeconds;
        var r = RankingEvaluator.Evaluate(ds.Train, ds.Test, model, new RankingEvaluationOptions { K = 10 });
        output.WriteLine($"one-hot + SDCA via EstimatorRecommender: fit {model.FitSeconds:F2}s, score all {ds.Users.Count}x{ds.Items.Count} pairs {model.ScoringSeconds:F2}s (total {seconds:F2}s) | "
            + $"P@10 {r.Precision:F4} R@10 {r.Recall:F4} NDCG@10 {r.Ndcg:F4}");
        var (_, folds) = Evaluation.BacktestAssert.WeeklyFolds(DeskdropBenchmarkKind.Deskdrop);
        var backtest = Evaluation.BacktestAssert.CiAboveRandom(folds, f =>
            new EstimatorRecommender(ml, estimator, new EstimatorRecommender.Options { NegativesPerPositive = 4, Seed = 1 }).Fit(f.Dataset.Train, f.Dataset.Users, f.Dataset.Items),
            "one-hot + SDCA");
        output.WriteLine($"weekly backtest NDCG@10 {backtest.Means.Ndcg:F4}, random {backtest.Random.Ndcg:F4}");
    }
}
