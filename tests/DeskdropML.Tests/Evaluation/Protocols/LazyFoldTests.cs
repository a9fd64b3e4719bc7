using DeskdropML.Evaluation.Protocols;

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

    private static string[] Describe(IReadOnlyList<EvaluationFold> folds) => folds.Select(f =>
        $"{f.Index} {f.Role} {f.Start} {f.End} train=[{string.Join(",", TinyLogs.TrainPairs(f))}] relevant=[{string.Join(",", TinyLogs.Relevant(f))}] " +
        $"candidates=[{string.Join(",", TinyLogs.Candidates(f))}] events={f.TrainEvents.Count}").ToArray();
}
