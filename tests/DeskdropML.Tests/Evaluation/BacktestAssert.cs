using DeskdropML.Data;
using DeskdropML.Evaluation;
using DeskdropML.Evaluation.Protocols;
using DeskdropML.Recommending;

namespace DeskdropML.Tests.Evaluation;

/// <summary>
/// The quality bar of the benchmark tests: on the leak-free weekly backtest of a Deskdrop benchmark, the lower end of
/// the model's 95% NDCG@10 interval must lie above the exact expectation of a random ranking over the same candidates.
/// </summary>
internal static class BacktestAssert
{
    /// <summary>Weekly backtest folds of a benchmark.</summary>
    public static (DeskdropBenchmark Benchmark, IReadOnlyList<EvaluationFold> Folds) WeeklyFolds(DeskdropBenchmarkKind kind, CandidatePolicy policy = CandidatePolicy.Seen)
    {
        var benchmark = DeskdropBenchmark.Load(TestPaths.NotebooksData, kind);
        var articles = policy == CandidatePolicy.Available ? ArticleAvailability.Load(benchmark.ArticleFile!) : null;
        var history = InteractionHistory.Build(benchmark.Log, 5, articles);
        return (benchmark, new RollingBacktest().TestFolds(history, policy));
    }

    /// <summary>Fits on every fold (cold users by popularity) and checks the bar; returns the result for reporting.</summary>
    public static ProtocolEvaluationResult CiAboveRandom(IReadOnlyList<EvaluationFold> folds, Func<EvaluationFold, IRecommenderModel> fit, string what)
    {
        var result = ProtocolEvaluator.Evaluate("backtest", folds, fold => new ColdUserFallbackModel(fit(fold), fold.Dataset.Train).ScoreItems);
        var (lo, hi) = result.Intervals[ReportedMetric.Ndcg];
        Assert.True(lo > result.Random.Ndcg,
            $"{what}: weekly backtest NDCG@10 {result.Means.Ndcg:F4} [{lo:F4}, {hi:F4}] does not clear the random expectation {result.Random.Ndcg:F4}");
        return result;
    }
}
