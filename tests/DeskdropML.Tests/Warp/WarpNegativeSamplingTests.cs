using DeskdropML.Sparse;
using DeskdropML.Trainers.Warp;

namespace DeskdropML.Tests.Warp;

/// <summary>
/// <see cref="WarpNegativeSampling.TrainItems"/>: negatives come only from items with a training entry, items
/// without one get no gradient on their own parameters, and the default (<see cref="WarpNegativeSampling.AllItems"/>)
/// still samples the whole catalogue.
/// </summary>
public class WarpNegativeSamplingTests
{
    private const int Items = 40;

    // Items with i % 4 == 3 (10 of 40, spread over the index range) have no training entry. The 30 others are dealt
    // to 3 users in turn: the k-th warm item belongs to user k % 3.
    private static bool IsCold(int item) => item % 4 == 3;

    private static CsrMatrix Interactions()
    {
        var rows = new List<int>();
        var cols = new List<int>();
        int k = 0;
        for (int i = 0; i < Items; i++)
            if (!IsCold(i)) { rows.Add(k++ % 3); cols.Add(i); }
        return CsrMatrix.FromTriplets(3, Items, rows.ToArray(), cols.ToArray(), Enumerable.Repeat(1f, rows.Count).ToArray());
    }

    private static WarpSgd Sgd(WarpNegativeSampling sampling, CsrMatrix interactions)
    {
        var options = new WarpTrainer.Options { NumberOfComponents = 3, MaxSampled = 10, NegativeSampling = sampling };
        var r1 = new WarpRandom(1);
        var r2 = new WarpRandom(2);
        var users = WarpSide.CreateInitial(CsrMatrix.Identity(3), 3, WarpLearningSchedule.Adagrad, ref r1);
        var items = WarpSide.CreateInitial(CsrMatrix.Identity(Items), 3, WarpLearningSchedule.Adagrad, ref r2);
        // All-zero parameters: every drawn item violates the margin for a positive score of 0.
        Array.Clear(users.Parameters);
        Array.Clear(items.Parameters);
        return new WarpSgd(users, items, interactions, options);
    }

    [Theory]
    [InlineData(WarpNegativeSampling.AllItems)]
    [InlineData(WarpNegativeSampling.TrainItems)]
    public void NegativesComeExactlyFromTheCandidateSetMinusTheUsersPositives(WarpNegativeSampling sampling)
    {
        var interactions = Interactions();
        var sgd = Sgd(sampling, interactions);
        bool trainOnly = sampling == WarpNegativeSampling.TrainItems;
        Assert.Equal(trainOnly ? 30 : Items, sgd.NegativeCandidateCount);
        var rng = new WarpRandom(5);
        var user = new float[4];
        var negative = new float[4];
        var warpCounts = new int[Items];
        var uniformCounts = new int[Items];
        const int draws = 30000;
        for (int t = 0; t < draws; t++)
        {
            int j = sgd.FindViolatingNegative(ref rng, 0, 0f, user, negative, out _, out _);
            if (j >= 0) warpCounts[j]++;
            j = sgd.SampleNegative(ref rng, 0);
            if (j >= 0) uniformCounts[j]++;
        }
        // Eligible for user 0: candidates (all items, or the warm ones) that are not user 0's positives.
        var eligible = Enumerable.Range(0, Items).Where(i => !interactions.Contains(0, i) && (!trainOnly || !IsCold(i))).ToHashSet();
        Assert.Equal(trainOnly ? 20 : 30, eligible.Count);
        for (int i = 0; i < Items; i++)
        {
            foreach (var counts in new[] { warpCounts, uniformCounts })
            {
                if (eligible.Contains(i)) Assert.InRange(counts[i], draws / eligible.Count * 0.8, draws / eligible.Count * 1.2);
                else Assert.True(counts[i] == 0, $"item {i} (cold: {IsCold(i)}) was drawn {counts[i]} times but is not eligible");
            }
        }
    }

    [Fact]
    public void ItemsWithEntriesListsTheNonEmptyColumnsInOrder()
    {
        var m = CsrMatrix.FromTriplets(2, 6, new[] { 0, 0, 1 }, new[] { 4, 1, 4 }, new[] { 1f, 0f, 2f });
        Assert.Equal(new[] { 1, 4 }, WarpSgd.ItemsWithEntries(m));
    }

    [Fact]
    public void ItemsWithoutTrainingEntriesKeepTheirInitialIdentityParametersWithTrainItemSampling()
    {
        var interactions = Interactions();
        var users = new IdMap(Enumerable.Range(0, 3).Select(u => "u" + u));
        var items = new IdMap(Enumerable.Range(0, Items).Select(i => $"i{i:D2}"));
        WarpModelParameters Fit(WarpNegativeSampling s) => new WarpTrainer(new WarpTrainer.Options
        {
            NumberOfComponents = 4, NumberOfEpochs = 20, Seed = 3, NegativeSampling = s,
        }).Fit(interactions, users, items);

        var initial = new WarpTrainer(new WarpTrainer.Options { NumberOfComponents = 4, NumberOfEpochs = 1, Seed = 3, LearningRate = 1e-30f })
            .Fit(interactions, users, items);
        var trainOnly = Fit(WarpNegativeSampling.TrainItems);
        var all = Fit(WarpNegativeSampling.AllItems);
        for (int i = 0; i < Items; i++)
        {
            if (!IsCold(i)) continue;
            // Untouched: exactly the seeded initial embedding and a zero bias.
            Assert.Equal(initial.GetItemFeatureEmbedding(i).ToArray(), trainOnly.GetItemFeatureEmbedding(i).ToArray());
            Assert.Equal(0f, trainOnly.GetItemFeatureBias(i));
            // Whole-catalogue sampling only ever pushes them down.
            Assert.True(all.GetItemFeatureBias(i) < -0.1f, $"item {i}: bias {all.GetItemFeatureBias(i)} should be clearly negative");
        }
        // Trained items move.
        Assert.NotEqual(initial.GetItemFeatureEmbedding(0).ToArray(), trainOnly.GetItemFeatureEmbedding(0).ToArray());
        Assert.NotEqual(0f, trainOnly.GetItemFeatureBias(0));
    }

    [Fact]
    public void ColdItemsAreRankedByTheirSideFeaturesWithTrainItemSampling()
    {
        // Items 0..29 are warm, 30..39 cold; every item carries one side feature: its group (item % 3), and users
        // only like items of their own group (user u: items with i % 3 == u). Training never samples a cold item, so
        // its score comes from its group feature alone, which must put the user's own-group cold items first
        // among the cold items.
        int users = 3;
        var rows = new List<int>();
        var cols = new List<int>();
        for (int i = 0; i < 30; i++) { rows.Add(i % 3); cols.Add(i); }
        var train = CsrMatrix.FromTriplets(users, Items, rows.ToArray(), cols.ToArray(), Enumerable.Repeat(1f, rows.Count).ToArray());
        var groups = CsrMatrix.FromTriplets(Items, 3, Enumerable.Range(0, Items).ToArray(), Enumerable.Range(0, Items).Select(i => i % 3).ToArray(),
            Enumerable.Repeat(1f, Items).ToArray());
        var model = new WarpTrainer(new WarpTrainer.Options
        {
            NumberOfComponents = 4, NumberOfEpochs = 60, Seed = 11, UseItemIdentityFeatures = false, NegativeSampling = WarpNegativeSampling.TrainItems,
        }).Fit(train, new IdMap(new[] { "a", "b", "c" }), new IdMap(Enumerable.Range(0, Items).Select(i => $"i{i:D2}")), null, groups);
        var scores = new float[Items];
        for (int u = 0; u < users; u++)
        {
            model.ScoreItems(u, scores);
            float worstOwn = float.PositiveInfinity, bestOther = float.NegativeInfinity;
            for (int i = 30; i < Items; i++)
            {
                if (i % 3 == u) worstOwn = MathF.Min(worstOwn, scores[i]);
                else bestOther = MathF.Max(bestOther, scores[i]);
            }
            Assert.True(worstOwn > bestOther, $"user {u}: own-group cold item score {worstOwn} should beat other groups' {bestOther}");
        }
    }
}
