using DeskdropML.Evaluation;
using DeskdropML.Memory;
using DeskdropML.Sparse;
using DeskdropML.Tests.Reliability;

namespace DeskdropML.Tests.Evaluation;

/// <summary>The evaluator's memory model and its refusal (the limit is process-wide, so the collection runs alone).</summary>
[Collection(InProcessCliCollection.Name)]
public class EvaluationMemoryTests
{
    [Fact]
    public void The_per_user_result_size_is_the_one_documented()
    {
        // 4 (user index) + 64 (UserRankingEvaluation) + 160 (UnitEvaluation), as the remarks and docs/benchmarks.md say.
        Assert.Equal(228, RankingEvaluator.UnitBytes);
        // 5 x 1000 + 2 x (1000 x 6 + 8 x 10) + 500 x 228 = 131,160 bytes.
        Assert.Equal(131_160, RankingEvaluator.Bytes(500, 1000, 10, 2, diagnostics: false));
        Assert.Equal(135_160, RankingEvaluator.Bytes(500, 1000, 10, 2, diagnostics: true));
    }

    [Fact]
    public void An_evaluation_that_exceeds_the_limit_is_refused_before_scoring_anyone()
    {
        // 2,000 test users over 50 items, 1 thread, item-subset diagnostics on (the default): 250 + (400 + 80) + 2,000 x 228 = 456,730 bytes.
        int users = 2000, items = 50;
        var rows = Enumerable.Range(0, users).ToArray();
        var test = CsrMatrix.FromTriplets(users, items, rows, rows.Select(u => u % items).ToArray(), rows.Select(_ => 1f).ToArray());
        var train = CsrMatrix.Empty(users, items);
        int scored = 0;
        void Scorer(int u, Span<float> s) => Interlocked.Increment(ref scored);
        long? old = MemoryBudget.LimitBytes;
        MemoryBudget.LimitBytes = 400_000;
        try
        {
            var e = Assert.Throws<MemoryBudgetException>(() =>
                RankingEvaluator.Evaluate(train, test, Scorer, new RankingEvaluationOptions { K = 10, NumberOfThreads = 1 }));
            Assert.Equal(0, scored);
            Assert.Equal("NumberOfThreads", e.ParamName);
            Assert.True(e.Message.Contains("Evaluating 2,000 users over 50 items at k = 10 on 1 thread(s) needs about 446.0 KiB"), e.Message);
            MemoryBudget.LimitBytes = 500_000;
            Assert.Equal(users, RankingEvaluator.Evaluate(train, test, Scorer, new RankingEvaluationOptions { K = 10, NumberOfThreads = 1 }).UsersEvaluated);
        }
        finally
        {
            MemoryBudget.LimitBytes = old;
        }
    }
}
