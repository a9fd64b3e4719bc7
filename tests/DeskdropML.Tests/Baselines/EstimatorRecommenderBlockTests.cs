using DeskdropML.Baselines;
using DeskdropML.Memory;
using DeskdropML.Sparse;
using DeskdropML.Tests.Reliability;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.ML;

namespace DeskdropML.Tests.Baselines;

/// <summary>
/// The harness scores users in blocks and keeps only top-k lists: checked against the unblocked oracle — every pair's
/// score from a known function of the ids (what the old dense grid held) and each user's top k by a full sort.
/// </summary>
public class EstimatorRecommenderBlockTests
{
    private sealed class IdRow
    {
        public string UserId { get; set; } = "";
        public string ItemId { get; set; } = "";
    }

    private sealed class ScoreRow
    {
        public float Score { get; set; }
    }

    /// <summary>A score from the two ids alone: five values (many ties) and NaN for about one pair in nine.</summary>
    private static float Known(string user, string item)
    {
        uint h = 2166136261;
        foreach (char c in user) h = (h ^ c) * 16777619;
        h = (h ^ '|') * 16777619;
        foreach (char c in item) h = (h ^ c) * 16777619;
        h ^= h >> 15;
        return h % 9 == 0 ? float.NaN : (int)(h % 5) - 2 + 0.25f;
    }

    private static IEstimator<ITransformer> KnownScorer(MLContext ml) =>
        ml.Transforms.CustomMapping<IdRow, ScoreRow>((input, output) => output.Score = Known(input.UserId, input.ItemId), contractName: null);

    private static (CsrMatrix Train, IdMap Users, IdMap Items) RandomData(int users, int items, Random random)
    {
        var rows = new List<int>(); var cols = new List<int>();
        for (int u = 0; u < users; u++)
            for (int i = 0; i < items; i++)
                if (random.Next(4) == 0) { rows.Add(u); cols.Add(i); }
        var userMap = IdMap.FromIds(Enumerable.Range(0, users).Select(u => $"u{u:D3}"));
        var itemMap = IdMap.FromIds(Enumerable.Range(0, items).Select(i => $"i{i:D3}"));
        return (CsrMatrix.FromTriplets(users, items, rows.ToArray(), cols.ToArray(), Enumerable.Repeat(1f, rows.Count).ToArray()), userMap, itemMap);
    }

    /// <summary>The definition by a full sort: descending score (NaN as −∞), ties by ascending index, train items left out on request.</summary>
    private static int[] OracleTop(float[] row, int k, ReadOnlySpan<int> train)
    {
        var skip = new HashSet<int>(train.ToArray());
        return Enumerable.Range(0, row.Length).Where(i => !skip.Contains(i))
            .OrderByDescending(i => float.IsNaN(row[i]) ? float.NegativeInfinity : row[i]).ThenBy(i => i).Take(k).ToArray();
    }

    [Fact]
    public void Blocked_top_k_and_scores_equal_the_dense_oracle_for_blocks_of_1_7_and_users_plus_minus_1() =>
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(12), Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), seed =>
        {
            var random = new Random(seed);
            int userCount = random.Next(2, 18), itemCount = random.Next(1, 14), k = random.Next(1, 6);
            bool exclude = random.Next(3) > 0;
            var (train, users, items) = RandomData(userCount, itemCount, random);
            var ml = new MLContext(seed);
            // The old dense path: the full users x items grid of scores.
            var dense = new float[userCount][];
            for (int u = 0; u < userCount; u++) dense[u] = Enumerable.Range(0, itemCount).Select(i => Known(users[u], items[i])).ToArray();
            if (dense.All(r => r.All(float.IsNaN))) return true; // the harness rejects an all-NaN grid (tested elsewhere)

            foreach (int block in new[] { 1, 7, userCount - 1, userCount, userCount + 1 }.Where(b => b >= 1).Distinct())
            {
                var model = new EstimatorRecommender(ml, KnownScorer(ml), new EstimatorRecommender.Options
                {
                    UsersPerBatch = block, TopK = k, ExcludeTrainItems = exclude, NumberOfThreads = 1 + random.Next(2),
                }).Fit(train, users, items);
                var buffer = new float[itemCount];
                for (int u = 0; u < userCount; u++)
                {
                    var expected = OracleTop(dense[u], k, exclude ? train.RowIndices(u) : default);
                    Assert.Equal(expected, model.TopItems(u).ToArray());
                    Assert.Equal(expected.Select(i => float.IsNaN(dense[u][i]) ? float.NegativeInfinity : dense[u][i]), model.TopScores(u).ToArray());
                    model.ScoreItems(u, buffer);
                    for (int i = 0; i < itemCount; i++)
                        Assert.Equal(BitConverter.SingleToInt32Bits(dense[u][i]), BitConverter.SingleToInt32Bits(buffer[i]));
                }
            }
            return true;
        }));

    [Fact]
    public void Top_lists_are_shorter_when_fewer_items_are_eligible()
    {
        // 3 items, user 0 has 2 train items: with exclusion only one candidate remains for a top 5.
        var train = CsrMatrix.FromTriplets(2, 3, new[] { 0, 0 }, new[] { 0, 2 }, new[] { 1f, 1f });
        var users = IdMap.FromIds(new[] { "a", "b" });
        var items = IdMap.FromIds(new[] { "x", "y", "z" });
        var ml = new MLContext(0);
        var model = new EstimatorRecommender(ml, KnownScorer(ml), new EstimatorRecommender.Options { TopK = 5 }).Fit(train, users, items);
        Assert.Equal(3, model.TopK);
        Assert.Equal(new[] { 1 }, model.TopItems(0).ToArray());
        Assert.Equal(3, model.TopItems(1).Length);
        Assert.Equal("TopK", Assert.Throws<ArgumentOutOfRangeException>(() =>
            new EstimatorRecommender(ml, KnownScorer(ml), new EstimatorRecommender.Options { TopK = 0 })).ParamName);
    }
}

/// <summary>The harness refuses, before fitting, a scoring phase that would not fit the memory limit (process-wide, so the collection runs alone).</summary>
[Collection(InProcessCliCollection.Name)]
public class EstimatorRecommenderMemoryTests
{
    [Fact]
    public void Scoring_blocks_that_exceed_the_memory_limit_are_refused_with_the_bytes_and_the_option()
    {
        var train = CsrMatrix.FromTriplets(300, 200, new[] { 0 }, new[] { 0 }, new[] { 1f });
        var users = IdMap.FromIds(Enumerable.Range(0, 300).Select(u => $"u{u:D3}"));
        var items = IdMap.FromIds(Enumerable.Range(0, 200).Select(i => $"i{i:D3}"));
        var ml = new MLContext(0);
        var harness = new EstimatorRecommender(ml, ml.Transforms.CopyColumns("Score", "Label"),
            new EstimatorRecommender.Options { UsersPerBatch = 256, NumberOfThreads = 2, TopK = 10 });
        // 2 threads x 256 users x 200 items x 4 B + 2 x 200 + 300 x (80 + 4) = 435,200 bytes.
        Assert.Equal(435_200, EstimatorRecommender.ScoringBytes(300, 200, 10, 256, 2));
        long? old = MemoryBudget.LimitBytes;
        MemoryBudget.LimitBytes = 400_000;
        try
        {
            var e = Assert.Throws<MemoryBudgetException>(() => harness.Fit(train, users, items));
            Assert.Equal("UsersPerBatch", e.ParamName);
            Assert.Contains("Scoring 300 users x 200 items in blocks of 256 users on 2 thread(s) and keeping the top 10 per user", e.Message);
            Assert.Contains("425.0 KiB", e.Message);
            Assert.Equal(435_200, e.RequiredBytes);
            // A smaller block fits: 2 x 16 x 200 x 4 + 400 + 25,200 = 51,200 bytes.
            var model = new EstimatorRecommender(ml, ml.Transforms.CopyColumns("Score", "Label"),
                new EstimatorRecommender.Options { UsersPerBatch = 16, NumberOfThreads = 2, TopK = 10 }).Fit(train, users, items);
            Assert.Equal(10, model.TopItems(299).Length);
        }
        finally
        {
            MemoryBudget.LimitBytes = old;
        }
    }
}
