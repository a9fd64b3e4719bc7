using DeskdropML.Evaluation;
using DeskdropML.Evaluation.Protocols;
using DeskdropML.Tests.Evaluation.Protocols;

namespace DeskdropML.Tests.Evaluation;

/// <summary>The analytic random expectation: hand values and agreement with sampled random rankings.</summary>
public class RandomExpectationTests
{
    [Fact]
    public void Hand_computed_case()
    {
        // C = 4 candidates, R = |T| = 1, k = 2: E[hits] = 2/4.
        var e = RandomExpectation.Compute(4, 1, 1, 2);
        Assert.Equal(0.25, e.Precision, 12);
        Assert.Equal(0.5, e.Recall, 12);
        Assert.Equal(0.25 * (1 + 1 / Math.Log2(3)), e.Ndcg, 12);
        Assert.Equal(1 - 3.0 / 4 * 2.0 / 3, e.Hit, 12);
    }

    [Fact]
    public void Unrankable_relevant_items_count_in_the_denominators_only()
    {
        // C = 10, R = 2 rankable of |T| = 4, k = 5: E[hits] = 5 * 2/10 = 1.
        var e = RandomExpectation.Compute(10, 2, 4, 5);
        Assert.Equal(1.0 / 5, e.Precision, 12);
        Assert.Equal(1.0 / 4, e.Recall, 12);
        double dcg = 0.2 * Enumerable.Range(0, 5).Sum(j => 1 / Math.Log2(j + 2));
        double idcg = Enumerable.Range(0, 4).Sum(j => 1 / Math.Log2(j + 2));
        Assert.Equal(dcg / idcg, e.Ndcg, 12);
    }

    [Fact]
    public void Fewer_candidates_than_k_hits_every_relevant_item()
    {
        var e = RandomExpectation.Compute(3, 2, 2, 10);
        Assert.Equal(1.0, e.Recall, 12);
        Assert.Equal(1.0, e.Hit, 12);
        // The order of the three is still random: E[DCG] = (2/3)(1 + 1/log2 3 + 1/2), IDCG = 1 + 1/log2 3.
        Assert.Equal(2.0 / 3 * (1.5 + 1 / Math.Log2(3)) / (1 + 1 / Math.Log2(3)), e.Ndcg, 12);
    }

    [Fact]
    public void Matches_the_mean_of_2000_seeded_random_rankings_within_3_standard_errors()
    {
        var history = InteractionHistory.Build(TinyLogs.Log(Enumerable.Range(0, 600)
            .Select(r => ((long)(r * 7 % 1000), "u" + (r % 12), "i" + (r * 13 % 97))).ToArray()), minItemsPerUser: 2);
        var fold = new RollingBacktest(new RollingBacktest.Options { SplitTime = 600, FoldDays = 400 / 86400.0 }).TestFolds(history, CandidatePolicy.Seen)[0];
        Assert.True(fold.TestUsers >= 3, "the fixture needs several evaluated users");
        Assert.True(fold.CandidateCount > 40, "the fixture needs more candidates than k");
        const int runs = 2000;
        var ndcg = new double[runs];
        var precision = new double[runs];
        var hit = new double[runs];
        RandomExpectation expected = default;
        for (int run = 0; run < runs; run++)
        {
            var random = new Random(run);
            var r = ProtocolEvaluator.EvaluateFold(fold, (u, s) => { for (int i = 0; i < s.Length; i++) s[i] = (float)random.NextDouble(); },
                new ProtocolEvaluationOptions { K = 5, NumberOfThreads = 1 });
            ndcg[run] = r.Ndcg; precision[run] = r.Precision; hit[run] = r.HitRate;
            expected = r.Random;
        }
        AssertWithin3Se(expected.Ndcg, ndcg, "NDCG");
        AssertWithin3Se(expected.Precision, precision, "precision");
        AssertWithin3Se(expected.Hit, hit, "hit rate");
    }

    private static void AssertWithin3Se(double expected, double[] sample, string what)
    {
        double mean = sample.Average();
        double se = Math.Sqrt(sample.Sum(v => (v - mean) * (v - mean)) / (sample.Length - 1) / sample.Length);
        Assert.True(se > 0, "the random rankings should vary");
        Assert.True(Math.Abs(mean - expected) <= 3 * se, $"{what}: sampled mean {mean:F5} vs exact {expected:F5} (SE {se:F5})");
    }
}
