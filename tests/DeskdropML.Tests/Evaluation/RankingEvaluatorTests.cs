using DeskdropML.Evaluation;
using DeskdropML.Recommending;
using DeskdropML.Sparse;

namespace DeskdropML.Tests.Evaluation;

public class RankingEvaluatorTests
{
    private static readonly double L3 = Math.Log2(3); // log2(rank + 1) at rank 2

    // 4 users x 5 items, k = 2.
    //   train: u0 {0}      u1 {}        u2 {1}      u3 {0, 1}
    //   test : u1 {0}      u0 {1, 3}    u2 {2, 4}   u3 {}   -> u3 is not evaluated; u1 is cold.
    // Scores: u0, u1, u3 prefer lower items (5, 4, 3, 2, 1); u2 scores every item 1 (all tied -> item index order).
    private static readonly int[][] TinyTrain = [[0], [], [1], [0, 1]];
    private static readonly int[][] TinyTest = [[1, 3], [0], [2, 4], []];
    private static readonly float[][] TinyScores =
    [
        [5, 4, 3, 2, 1],
        [5, 4, 3, 2, 1],
        [1, 1, 1, 1, 1],
        [5, 4, 3, 2, 1],
    ];

    [Fact]
    public void KnownAnswerWithTrainItemsExcluded()
    {
        // u0: candidates 1,2,3,4 -> top [1, 2]; hit at rank 1 of T = {1, 3}.
        //     P = 1/2, R = 1/2, NDCG = 1 / (1 + 1/log2 3), AP = (1/1) / min(2, 2) = 1/2, RR = 1, hit 1.
        // u1: nothing to exclude -> top [0, 1]; hit at rank 1 of T = {0}.
        //     P = 1/2, R = 1, NDCG = 1 (IDCG over min(2, 1) = 1 position), AP = 1, RR = 1, hit 1.
        // u2: ties -> index order, 1 excluded -> top [0, 2]; hit at rank 2 of T = {2, 4}.
        //     P = 1/2, R = 1/2, NDCG = (1/log2 3) / (1 + 1/log2 3), AP = (1/2) / 2 = 1/4, RR = 1/2, hit 1.
        // Means over 3 users: P 1/2, R 2/3, NDCG (1 + 1 + 0) ... u0 + u2 NDCG sum to 1, so NDCG = 2/3,
        //     MAP = (1/2 + 1 + 1/4) / 3 = 7/12, MRR = (1 + 1 + 1/2) / 3 = 5/6, hit rate 1.
        // Coverage: {1, 2} ∪ {0, 1} ∪ {0, 2} = {0, 1, 2} -> 3/5.
        var result = Evaluate(exclude: true);
        double idcg2 = 1 + 1 / L3;

        Assert.Equal(3, result.UsersEvaluated);
        AssertMeans(result.All, 3, 0.5, 2.0 / 3, 2.0 / 3, 7.0 / 12, 5.0 / 6, 1);
        Assert.Equal(0.6, result.CatalogCoverage, 15);
        // Warm = u0, u2; cold = u1.
        AssertMeans(result.Warm, 2, 0.5, 0.5, 0.5, 0.375, 0.75, 1);
        AssertMeans(result.Cold, 1, 0.5, 1, 1, 1, 1, 1);

        Assert.Equal([0, 1, 2], result.PerUser.Select(p => p.UserIndex));
        Assert.Equal([1, 0, 1], result.PerUser.Select(p => p.TrainItems));
        Assert.Equal([2, 1, 2], result.PerUser.Select(p => p.TestItems));
        Assert.Equal([true, false, true], result.PerUser.Select(p => p.IsWarm));
        AssertMetrics(result.PerUser[0].Metrics, 0.5, 0.5, 1 / idcg2, 0.5, 1, 1);
        AssertMetrics(result.PerUser[1].Metrics, 0.5, 1, 1, 1, 1, 1);
        AssertMetrics(result.PerUser[2].Metrics, 0.5, 0.5, (1 / L3) / idcg2, 0.25, 0.5, 1);
    }

    [Fact]
    public void KnownAnswerWithTrainItemsKept()
    {
        // Nothing excluded (lightfm.evaluation without train_interactions):
        // u0: top [0, 1]; hit at rank 2 -> P 1/2, R 1/2, NDCG (1/log2 3)/(1 + 1/log2 3), AP (1/2)/2 = 1/4, RR 1/2.
        // u1: top [0, 1]; hit at rank 1 -> P 1/2, R 1, NDCG 1, AP 1, RR 1.
        // u2: ties -> top [0, 1]; T = {2, 4}: no hit -> all 0.
        // Means: P 1/3, R 1/2, NDCG (0.38685 + 1)/3, MAP 5/12, MRR 1/2, hit 2/3; coverage {0, 1} -> 2/5.
        var result = Evaluate(exclude: false);
        double ndcgU0 = (1 / L3) / (1 + 1 / L3);

        AssertMeans(result.All, 3, 1.0 / 3, 0.5, (ndcgU0 + 1) / 3, 5.0 / 12, 0.5, 2.0 / 3);
        Assert.Equal(0.4, result.CatalogCoverage, 15);
        AssertMeans(result.Warm, 2, 0.25, 0.25, ndcgU0 / 2, 0.125, 0.25, 0.5);
        AssertMeans(result.Cold, 1, 0.5, 1, 1, 1, 1, 1);
        Assert.False(result.ExcludeTrainItems);
        Assert.Equal(2, result.K);
    }

    [Fact]
    public void KLargerThanTheCandidatesGivesShortListsButDividesByK()
    {
        // k = 5 with exclusion: u0 has 4 candidates [1, 2, 3, 4] -> both test items hit, P = 2/5, R = 1.
        var result = RankingEvaluator.Evaluate(
            EvaluationFixtures.Matrix(5, TinyTrain), EvaluationFixtures.Matrix(5, TinyTest), EvaluationFixtures.FromTable(TinyScores),
            new RankingEvaluationOptions { K = 5, NumberOfThreads = 1 });
        Assert.Equal(0.4, result.PerUser[0].Metrics.Precision, 15);
        Assert.Equal(1.0, result.PerUser[0].Metrics.Recall, 15);
        Assert.Equal(1.0, result.CatalogCoverage, 15);
    }

    [Theory]
    [InlineData(true, 3)]
    [InlineData(false, 10)]
    [InlineData(true, 50)]
    public void AgreesWithANaiveEvaluation(bool exclude, int k)
    {
        const int users = 150, items = 40;
        var (train, test, scores) = EvaluationFixtures.Random(seed: k + (exclude ? 100 : 0), users, items);
        var result = RankingEvaluator.Evaluate(
            EvaluationFixtures.Matrix(items, train), EvaluationFixtures.Matrix(items, test), EvaluationFixtures.FromTable(scores),
            new RankingEvaluationOptions { K = k, ExcludeTrainItems = exclude, NumberOfThreads = 2 });

        var expected = new List<(int User, UserRankingMetrics Metrics)>();
        var covered = new HashSet<int>();
        for (int u = 0; u < users; u++)
        {
            if (test[u].Length == 0) continue;
            int[] ranked = Enumerable.Range(0, items)
                .Where(i => !exclude || !train[u].Contains(i))
                .OrderByDescending(i => scores[u][i]).ThenBy(i => i)
                .Take(k).ToArray();
            covered.UnionWith(ranked);
            expected.Add((u, NaiveRankingMetrics.Compute(test[u], ranked, k)));
        }

        Assert.Equal(expected.Count, result.UsersEvaluated);
        Assert.Equal(expected.Select(e => e.User), result.PerUser.Select(p => p.UserIndex));
        for (int j = 0; j < expected.Count; j++)
            NaiveRankingMetrics.AssertClose(expected[j].Metrics, result.PerUser[j].Metrics);
        Assert.Equal(expected.Average(e => e.Metrics.Precision), result.Precision, 12);
        Assert.Equal(expected.Average(e => e.Metrics.Recall), result.Recall, 12);
        Assert.Equal(expected.Average(e => e.Metrics.Ndcg), result.Ndcg, 12);
        Assert.Equal(expected.Average(e => e.Metrics.AveragePrecision), result.Map, 12);
        Assert.Equal(expected.Average(e => e.Metrics.ReciprocalRank), result.Mrr, 12);
        Assert.Equal(expected.Average(e => e.Metrics.Hit), result.HitRate, 12);
        Assert.Equal(covered.Count / (double)items, result.CatalogCoverage, 15);
        int warm = expected.Count(e => train[e.User].Length > 0);
        Assert.Equal(warm, result.Warm.Users);
        Assert.Equal(expected.Count - warm, result.Cold.Users);
        Assert.True(result.Cold.Users > 0 && result.Warm.Users > 0, "The fixture should contain warm and cold users.");
        Assert.Equal(result.Precision, (result.Warm.Precision * warm + result.Cold.Precision * result.Cold.Users) / expected.Count, 12);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(12)]
    public void ResultIsBitIdenticalForOneAndTwoThreads(int seed)
    {
        const int users = 400, items = 60; // many chunks of users
        var (train, test, scores) = EvaluationFixtures.Random(seed, users, items);
        var trainM = EvaluationFixtures.Matrix(items, train);
        var testM = EvaluationFixtures.Matrix(items, test);
        var one = RankingEvaluator.Evaluate(trainM, testM, EvaluationFixtures.FromTable(scores), new RankingEvaluationOptions { NumberOfThreads = 1 });
        var two = RankingEvaluator.Evaluate(trainM, testM, EvaluationFixtures.FromTable(scores), new RankingEvaluationOptions { NumberOfThreads = 2 });
        var many = RankingEvaluator.Evaluate(trainM, testM, EvaluationFixtures.FromTable(scores), new RankingEvaluationOptions { NumberOfThreads = 5 });

        foreach (var other in new[] { two, many })
        {
            Assert.Equal(one.All, other.All);      // record equality: exact double comparison
            Assert.Equal(one.Warm, other.Warm);
            Assert.Equal(one.Cold, other.Cold);
            Assert.Equal(one.CatalogCoverage, other.CatalogCoverage);
            Assert.Equal(one.PerUser, other.PerUser);
        }
    }

    [Fact]
    public void InvariantToTheOrderInWhichUsersAreGiven()
    {
        const int users = 120, items = 30;
        var (train, test, scores) = EvaluationFixtures.Random(3, users, items);
        var baseline = RankingEvaluator.Evaluate(
            EvaluationFixtures.Matrix(items, train), EvaluationFixtures.Matrix(items, test), EvaluationFixtures.FromTable(scores));

        var random = new Random(99);
        int[] newIndex = Enumerable.Range(0, users).OrderBy(_ => random.Next()).ToArray(); // user u becomes newIndex[u]
        var pTrain = new int[users][];
        var pTest = new int[users][];
        var pScores = new float[users][];
        for (int u = 0; u < users; u++)
        {
            pTrain[newIndex[u]] = train[u];
            pTest[newIndex[u]] = test[u];
            pScores[newIndex[u]] = scores[u];
        }
        var permuted = RankingEvaluator.Evaluate(
            EvaluationFixtures.Matrix(items, pTrain), EvaluationFixtures.Matrix(items, pTest), EvaluationFixtures.FromTable(pScores));

        Assert.Equal(baseline.UsersEvaluated, permuted.UsersEvaluated);
        Assert.Equal(baseline.CatalogCoverage, permuted.CatalogCoverage);
        var byUser = permuted.PerUser.ToDictionary(p => p.UserIndex);
        foreach (var p in baseline.PerUser)
            Assert.Equal(p.Metrics, byUser[newIndex[p.UserIndex]].Metrics);
        foreach (var (a, b) in new[] { (baseline.All, permuted.All), (baseline.Warm, permuted.Warm), (baseline.Cold, permuted.Cold) })
        {
            Assert.Equal(a.Users, b.Users);
            Assert.Equal(a.Precision, b.Precision, 12);
            Assert.Equal(a.Recall, b.Recall, 12);
            Assert.Equal(a.Ndcg, b.Ndcg, 12);
            Assert.Equal(a.Map, b.Map, 12);
            Assert.Equal(a.Mrr, b.Mrr, 12);
            Assert.Equal(a.HitRate, b.HitRate, 12);
        }
    }

    [Fact]
    public void RecallAtCatalogueSizeIsOneWhenNothingIsExcluded()
    {
        const int users = 80, items = 25;
        var (train, test, scores) = EvaluationFixtures.Random(5, users, items);
        var result = RankingEvaluator.Evaluate(
            EvaluationFixtures.Matrix(items, train), EvaluationFixtures.Matrix(items, test), EvaluationFixtures.FromTable(scores),
            new RankingEvaluationOptions { K = items, ExcludeTrainItems = false });
        Assert.True(result.UsersEvaluated > 0);
        Assert.All(result.PerUser, p => Assert.Equal(1.0, p.Metrics.Recall));
        Assert.Equal(1.0, result.Recall);
        Assert.Equal(1.0, result.CatalogCoverage);
    }

    [Fact]
    public void ModelOverloadUsesTheModelScoresAndChecksItsMaps()
    {
        var model = new TableModel(TinyScores);
        var train = EvaluationFixtures.Matrix(5, TinyTrain);
        var test = EvaluationFixtures.Matrix(5, TinyTest);
        var viaModel = RankingEvaluator.Evaluate(train, test, model, new RankingEvaluationOptions { K = 2 });
        Assert.Equal(Evaluate(exclude: true).All, viaModel.All);

        var wide = EvaluationFixtures.Matrix(6, [0], [], [1], [0, 1]);
        var e = Assert.Throws<ArgumentException>(() => RankingEvaluator.Evaluate(wide, EvaluationFixtures.Matrix(6, [1], [0], [2], []), model));
        Assert.Equal("model", e.ParamName);
    }

    [Fact]
    public void RejectsBadArguments()
    {
        var train = EvaluationFixtures.Matrix(5, TinyTrain);
        var test = EvaluationFixtures.Matrix(5, TinyTest);
        var scorer = EvaluationFixtures.FromTable(TinyScores);

        var shape = Assert.Throws<ArgumentException>(() => RankingEvaluator.Evaluate(train, EvaluationFixtures.Matrix(4, [1], [0], [2], []), scorer));
        Assert.Equal("test", shape.ParamName);
        Assert.Contains("same shape", shape.Message);
        Assert.Throws<ArgumentException>(() => RankingEvaluator.Evaluate(train, EvaluationFixtures.Matrix(5, [1], [0], [2]), scorer));

        var k = Assert.Throws<ArgumentOutOfRangeException>(() => RankingEvaluator.Evaluate(train, test, scorer, new RankingEvaluationOptions { K = 0 }));
        Assert.Equal("options", k.ParamName);
        Assert.Contains("K", k.Message);
        var threads = Assert.Throws<ArgumentOutOfRangeException>(() => RankingEvaluator.Evaluate(train, test, scorer, new RankingEvaluationOptions { NumberOfThreads = 0 }));
        Assert.Contains("NumberOfThreads", threads.Message);
        Assert.Throws<ArgumentNullException>(() => RankingEvaluator.Evaluate(train, test, (UserScorer)null!));
    }

    [Fact]
    public void ScorerExceptionsSurfaceUnwrapped()
    {
        const int users = 200, items = 10;
        var (train, test, _) = EvaluationFixtures.Random(8, users, items);
        UserScorer failing = (u, s) => throw new InvalidOperationException("scorer failed");
        var e = Assert.Throws<InvalidOperationException>(() => RankingEvaluator.Evaluate(
            EvaluationFixtures.Matrix(items, train), EvaluationFixtures.Matrix(items, test), failing, new RankingEvaluationOptions { NumberOfThreads = 2 }));
        Assert.Equal("scorer failed", e.Message);
    }

    [Fact]
    public void NoTestEntriesGivesZeroUsersAndZeroMeans()
    {
        var result = RankingEvaluator.Evaluate(
            EvaluationFixtures.Matrix(5, TinyTrain), CsrMatrix.Empty(4, 5), EvaluationFixtures.FromTable(TinyScores));
        Assert.Equal(0, result.UsersEvaluated);
        Assert.Equal(new RankingMetricMeans(0, 0, 0, 0, 0, 0, 0), result.All);
        Assert.Equal(0, result.CatalogCoverage);
        Assert.Empty(result.PerUser);
    }

    private static RankingEvaluationResult Evaluate(bool exclude) => RankingEvaluator.Evaluate(
        EvaluationFixtures.Matrix(5, TinyTrain), EvaluationFixtures.Matrix(5, TinyTest), EvaluationFixtures.FromTable(TinyScores),
        new RankingEvaluationOptions { K = 2, ExcludeTrainItems = exclude });

    private static void AssertMeans(RankingMetricMeans m, int users, double p, double r, double ndcg, double map, double mrr, double hit)
    {
        Assert.Equal(users, m.Users);
        Assert.Equal(p, m.Precision, 15);
        Assert.Equal(r, m.Recall, 15);
        Assert.Equal(ndcg, m.Ndcg, 15);
        Assert.Equal(map, m.Map, 15);
        Assert.Equal(mrr, m.Mrr, 15);
        Assert.Equal(hit, m.HitRate, 15);
    }

    private static void AssertMetrics(UserRankingMetrics m, double p, double r, double ndcg, double ap, double rr, double hit) =>
        AssertMeans(new RankingMetricMeans(1, m.Precision, m.Recall, m.Ndcg, m.AveragePrecision, m.ReciprocalRank, m.Hit), 1, p, r, ndcg, ap, rr, hit);

    /// <summary>A recommender model that reads a fixed users x items score table.</summary>
    private sealed class TableModel(float[][] table) : IRecommenderModel
    {
        public IdMap Users { get; } = new(Enumerable.Range(0, table.Length).Select(u => $"u{u}"));

        public IdMap Items { get; } = new(Enumerable.Range(0, table[0].Length).Select(i => $"i{i}"));

        public void ScoreItems(int userIndex, Span<float> scores) => table[userIndex].CopyTo(scores);
    }
}
