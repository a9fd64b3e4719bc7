using DeskdropML.Evaluation;
using DeskdropML.Evaluation.Protocols;
using DeskdropML.Trainers.Popularity;

namespace DeskdropML.Tests.Evaluation.Protocols;

/// <summary>Backtest folds are built on demand and held weakly: a fold rebuilt after the collector reclaimed it is the same fold.</summary>
public class LazyFoldTests
{
    [Fact]
    public void A_fold_rebuilt_after_collection_equals_the_first_build()
    {
        var history = InteractionHistory.Build(TinyLogs.Backtest(), minItemsPerUser: 1);
        var folds = TinyLogs.TwoFolds().TestFolds(history, CandidatePolicy.Seen);
        var first = Describe(folds);
        var held = folds[1];
        Assert.Same(held, folds[1]); // held strongly by the caller: not rebuilt
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.Equal(first, Describe(folds));
        Assert.Same(held, folds[1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => folds[2]);
    }

    [Fact]
    public void Several_models_are_evaluated_fold_major_with_the_results_each_gets_alone()
    {
        var history = InteractionHistory.Build(TinyLogs.Backtest(), minItemsPerUser: 1);
        var folds = TinyLogs.TwoFolds().TestFolds(history, CandidatePolicy.Seen);
        var calls = new List<string>();
        FoldFit Popularity(string name) => fold =>
        {
            calls.Add($"{name}@{fold.Index}");
            return PopularityModel.Fit(fold.Dataset.Train, fold.Dataset.Users, fold.Dataset.Items).ScoreItems;
        };
        FoldFit LastFirst(string name) => fold =>
        {
            calls.Add($"{name}@{fold.Index}");
            return (u, scores) => { for (int i = 0; i < scores.Length; i++) scores[i] = i; };
        };
        var options = new ProtocolEvaluationOptions { K = 1, BootstrapResamples = 50, NumberOfThreads = 1 };
        var both = ProtocolEvaluator.EvaluateEach("backtest", folds, new[] { Popularity("p"), LastFirst("r") }, options);
        Assert.Equal(new[] { "p@0", "r@0", "p@1", "r@1" }, calls);
        var alone = new[] { ProtocolEvaluator.Evaluate("backtest", folds, Popularity("p"), options), ProtocolEvaluator.Evaluate("backtest", folds, LastFirst("r"), options) };
        for (int m = 0; m < 2; m++)
        {
            Assert.Equal(alone[m].Units, both[m].Units);
            foreach (var metric in Enum.GetValues<ReportedMetric>())
            {
                Assert.Equal(alone[m].Mean(metric), both[m].Mean(metric));
                Assert.Equal(alone[m].Intervals[metric], both[m].Intervals[metric]);
            }
        }
        Assert.NotEqual(both[0].Mean(ReportedMetric.Ndcg), both[1].Mean(ReportedMetric.Ndcg));
    }

    private static string[] Describe(IReadOnlyList<EvaluationFold> folds) => folds.Select(f =>
        $"{f.Index} {f.Role} {f.Start} {f.End} train=[{string.Join(",", TinyLogs.TrainPairs(f))}] relevant=[{string.Join(",", TinyLogs.Relevant(f))}] " +
        $"candidates=[{string.Join(",", TinyLogs.Candidates(f))}] events={f.TrainEvents.Count}").ToArray();
}
