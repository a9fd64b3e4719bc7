using DeskdropML.Sparse;
using DeskdropML.Trainers.Popularity;
using DeskdropML.Trainers.Warp;

namespace DeskdropML.Tests.Warp;

/// <summary>End-to-end behaviour of the trainer on planted-structure data.</summary>
public class WarpTrainingTests
{
    private static readonly PlantedData Data = PlantedData.Generate();

    private static WarpTrainer Trainer(WarpLoss loss = WarpLoss.Warp, int epochs = 20, int threads = 1, int seed = 42,
        WarpLearningSchedule schedule = WarpLearningSchedule.Adagrad, float rate = 0.05f) =>
        new(new WarpTrainer.Options
        {
            Loss = loss, NumberOfEpochs = epochs, NumberOfThreads = threads, Seed = seed, LearningSchedule = schedule,
            LearningRate = rate, NumberOfComponents = 8,
        });

    /// <summary>Popularity precision@5, computed by hand: count train users per item, rank, skip train items.</summary>
    private static double HandPopularityPrecisionAt5()
    {
        var counts = new float[Data.Items.Count];
        foreach (int i in Data.Train.ColumnIndices) counts[i]++;
        return RankingHelpers.PrecisionAtK(_ => counts, Data.Train, Data.Test, 5);
    }

    [Theory]
    // This small data set overfits after ~10 epochs (training AUC keeps rising while held-out precision falls,
    // faster with Adadelta), so the check trains briefly.
    [InlineData(WarpLoss.Warp, WarpLearningSchedule.Adagrad, 10)]
    [InlineData(WarpLoss.Bpr, WarpLearningSchedule.Adagrad, 30)] // BPR and k-OS learn more slowly
    [InlineData(WarpLoss.KosWarp, WarpLearningSchedule.Adagrad, 60)]
    [InlineData(WarpLoss.Warp, WarpLearningSchedule.Adadelta, 8)]
    public void RecoversPlantedClustersFarAbovePopularity(WarpLoss loss, WarpLearningSchedule schedule, int epochs)
    {
        double popularity = HandPopularityPrecisionAt5();
        // The hand computation agrees with the library's popularity baseline.
        var pop = PopularityModel.Fit(Data.Train, Data.Users, Data.Items);
        Assert.Equal(popularity, RankingHelpers.PrecisionAtK(RankingHelpers.Scorer(pop), Data.Train, Data.Test, 5), 10);

        var model = Trainer(loss, epochs: epochs, schedule: schedule).Fit(Data.Train, Data.Users, Data.Items);
        double precision = RankingHelpers.PrecisionAtK(RankingHelpers.Scorer(model), Data.Train, Data.Test, 5);
        Assert.True(precision > 1.5 * popularity && precision > popularity + 0.03,
            $"{loss}/{schedule}/{epochs}: precision@5 {precision:F4} vs popularity {popularity:F4}");
    }

    [Fact]
    public void LogisticLossLearnsFromExplicitNegatives()
    {
        // Add, per user, 9 explicit negatives (value -1) drawn from the other clusters.
        var rng = new Random(3);
        var rows = new List<int>(); var cols = new List<int>(); var vals = new List<float>();
        for (int u = 0; u < Data.Users.Count; u++)
        {
            foreach (int i in Data.Train.RowIndices(u)) { rows.Add(u); cols.Add(i); vals.Add(1f); }
            int added = 0;
            while (added < 9)
            {
                int j = rng.Next(Data.Items.Count);
                if (Data.ItemCluster[j] == Data.UserCluster[u] || Data.Train.Contains(u, j) || Data.Test.Contains(u, j)) continue;
                rows.Add(u); cols.Add(j); vals.Add(-1f); added++;
            }
        }
        var train = CsrMatrix.FromTriplets(Data.Users.Count, Data.Items.Count, rows.ToArray(), cols.ToArray(), vals.ToArray());
        var model = Trainer(WarpLoss.Logistic, epochs: 30).Fit(train, Data.Users, Data.Items);
        // Held-out positives must outscore unseen items of other clusters on average.
        double own = 0, other = 0; int nOwn = 0, nOther = 0;
        for (int u = 0; u < Data.Users.Count; u++)
        {
            foreach (int i in Data.Test.RowIndices(u)) { own += model.Score(u, i); nOwn++; }
            for (int j = 0; j < Data.Items.Count; j += 5)
                if (Data.ItemCluster[j] != Data.UserCluster[u] && !train.Contains(u, j)) { other += model.Score(u, j); nOther++; }
        }
        Assert.True(own / nOwn > other / nOther + 1.0, $"held-out positives {own / nOwn:F3} vs other-cluster items {other / nOther:F3}");
    }

    [Fact]
    public void TrainingAucImprovesFromTheFirstToTheLastEpoch()
    {
        var trainer = Trainer(epochs: 1);
        var reports = new List<WarpEpochInfo>();
        var afterOne = trainer.Fit(Data.Train, Data.Users, Data.Items, progress: new SyncProgress(reports));
        var afterTwenty = trainer.FitPartial(afterOne, Data.Train, 19, new SyncProgress(reports));
        double auc1 = RankingHelpers.TrainAuc(RankingHelpers.Scorer(afterOne), Data.Train);
        double auc20 = RankingHelpers.TrainAuc(RankingHelpers.Scorer(afterTwenty), Data.Train);
        Assert.True(auc20 > auc1 + 0.05 && auc20 > 0.85, $"AUC after epoch 1: {auc1:F4}, after 20: {auc20:F4}");
        Assert.Equal(Enumerable.Range(1, 20), reports.Select(r => r.Epoch));
        Assert.Equal(20, afterTwenty.EpochsTrained);
        // WARP finds fewer violating negatives as the ranking improves.
        Assert.True(reports[^1].UpdateFraction < reports[0].UpdateFraction, $"{reports[0].UpdateFraction} -> {reports[^1].UpdateFraction}");
        Assert.True(reports[^1].MeanLoss < reports[0].MeanLoss);
    }

    [Theory]
    [InlineData(WarpLoss.Warp)]
    [InlineData(WarpLoss.KosWarp)]
    [InlineData(WarpLoss.Bpr)]
    public void SeededSingleThreadFitsAreBitIdentical(WarpLoss loss)
    {
        var a = Trainer(loss, epochs: 5).Fit(Data.Train, Data.Users, Data.Items);
        var b = Trainer(loss, epochs: 5).Fit(Data.Train, Data.Users, Data.Items);
        var c = Trainer(loss, epochs: 5, seed: 43).Fit(Data.Train, Data.Users, Data.Items);
        Assert.True(a.ItemFeatureParameters.SequenceEqual(b.ItemFeatureParameters));
        Assert.True(a.UserFeatureParameters.SequenceEqual(b.UserFeatureParameters));
        Assert.False(a.ItemFeatureParameters.SequenceEqual(c.ItemFeatureParameters));
    }

    [Fact]
    public void FitThenFitPartialEqualsOneLongFitAndKeepsTheOptimiserState()
    {
        var trainer = Trainer(epochs: 3);
        var first = trainer.Fit(Data.Train, Data.Users, Data.Items);
        var continued = trainer.FitPartial(first, Data.Train, 4);
        var oneGo = Trainer(epochs: 7).Fit(Data.Train, Data.Users, Data.Items);
        Assert.True(continued.ItemFeatureParameters.SequenceEqual(oneGo.ItemFeatureParameters));
        Assert.True(continued.UserFeatureParameters.SequenceEqual(oneGo.UserFeatureParameters));
        Assert.True(continued.ToArrays().ItemEmbeddingAccumulators.AsSpan().SequenceEqual(oneGo.ToArrays().ItemEmbeddingAccumulators));
        // The input model is not modified.
        Assert.Equal(3, first.EpochsTrained);
        Assert.False(first.ItemFeatureParameters.SequenceEqual(continued.ItemFeatureParameters));
    }

    [Fact]
    public void TwoThreadHogwildFitMatchesSingleThreadQuality()
    {
        // Stated tolerance: 2-thread precision@5 within 0.03 of (or above) the 1-thread value, mean over 2 seeds.
        double one = 0, two = 0;
        foreach (int seed in new[] { 1, 2 })
        {
            var m1 = Trainer(epochs: 20, seed: seed).Fit(Data.Train, Data.Users, Data.Items);
            var m2 = Trainer(epochs: 20, threads: 2, seed: seed).Fit(Data.Train, Data.Users, Data.Items);
            one += RankingHelpers.PrecisionAtK(RankingHelpers.Scorer(m1), Data.Train, Data.Test, 5) / 2;
            two += RankingHelpers.PrecisionAtK(RankingHelpers.Scorer(m2), Data.Train, Data.Test, 5) / 2;
        }
        Assert.True(two >= one - 0.03, $"1 thread {one:F4}, 2 threads {two:F4}");
    }

    [Theory]
    [InlineData(WarpLoss.Bpr)]
    [InlineData(WarpLoss.KosWarp)]
    [InlineData(WarpLoss.Logistic)]
    public void EveryLossRunsMultiThreadedAndUpdatesEveryEpoch(WarpLoss loss)
    {
        var reports = new List<WarpEpochInfo>();
        var model = Trainer(loss, epochs: 3, threads: 2).Fit(Data.Train, Data.Users, Data.Items, progress: new SyncProgress(reports));
        var initial = new WarpTrainer(new WarpTrainer.Options { NumberOfEpochs = 1, NumberOfComponents = 8, LearningRate = 1e-30f }).Fit(Data.Train, Data.Users, Data.Items);
        Assert.Equal(3, reports.Count);
        Assert.All(reports, r => Assert.True(r.UpdateFraction > 0 && double.IsFinite(r.MeanLoss), $"{r}"));
        Assert.False(model.ItemFeatureParameters.SequenceEqual(initial.ItemFeatureParameters));
    }

    [Fact]
    public void ScoresArePackedDotProductsAndConsistentAcrossAccessors()
    {
        var model = Trainer(epochs: 3).Fit(Data.Train, Data.Users, Data.Items);
        int d = model.Dimension;
        var pu = new float[d + 2];
        var qi = new float[d + 2];
        var scores = new float[Data.Items.Count];
        for (int u = 0; u < 20; u++)
        {
            model.GetPackedUserVector(u, pu);
            Assert.Equal(1f, pu[d + 1]);
            model.ScoreItems(u, scores);
            for (int i = 0; i < Data.Items.Count; i += 7)
            {
                model.GetPackedItemVector(i, qi);
                Assert.Equal(1f, qi[d]);
                double dot = 0;
                for (int c = 0; c < d + 2; c++) dot += pu[c] * qi[c];
                // Identity features only: p_u is the user's embedding, q_i the item's.
                double direct = model.GetUserFeatureBias(u) + model.GetItemFeatureBias(i);
                for (int c = 0; c < d; c++) direct += model.GetUserFeatureEmbedding(u)[c] * model.GetItemFeatureEmbedding(i)[c];
                Assert.Equal(dot, scores[i], 4);
                Assert.Equal(direct, model.Score(u, i), 4);
            }
        }
    }

    [Fact]
    public void ArraysRoundTripRebuildsAModelWithIdenticalScoresAndState()
    {
        var trainer = new WarpTrainer(new WarpTrainer.Options { NumberOfEpochs = 3, LearningSchedule = WarpLearningSchedule.Adadelta });
        var itemFeatures = CsrMatrix.FromTriplets(Data.Items.Count, 3, Enumerable.Range(0, Data.Items.Count).ToArray(),
            Data.ItemCluster, Enumerable.Repeat(1f, Data.Items.Count).ToArray());
        var model = trainer.Fit(Data.Train, Data.Users, Data.Items, itemFeatures: itemFeatures);
        var rebuilt = WarpModelParameters.FromArrays(Data.Users, Data.Items, model.ToArrays());
        Assert.True(model.PackedUserVectors.SequenceEqual(rebuilt.PackedUserVectors));
        Assert.True(model.PackedItemVectors.SequenceEqual(rebuilt.PackedItemVectors));
        Assert.Equal(model.ItemFeatureCount, rebuilt.ItemFeatureCount);
        // Continuing both gives bit-identical results (optimiser state survived).
        var a = trainer.FitPartial(model, Data.Train, 2);
        var b = trainer.FitPartial(rebuilt, Data.Train, 2);
        Assert.True(a.ItemFeatureParameters.SequenceEqual(b.ItemFeatureParameters));

        var broken = model.ToArrays();
        var shortArrays = new WarpModelArrays
        {
            NumberOfComponents = broken.NumberOfComponents, LearningSchedule = broken.LearningSchedule,
            UserIdentityFeatures = true, ItemIdentityFeatures = true, ItemSideFeatures = broken.ItemSideFeatures,
            UserEmbeddings = broken.UserEmbeddings, UserBiases = broken.UserBiases, ItemEmbeddings = broken.ItemEmbeddings[1..],
            ItemBiases = broken.ItemBiases, UserEmbeddingAccumulators = broken.UserEmbeddingAccumulators,
            UserBiasAccumulators = broken.UserBiasAccumulators, ItemEmbeddingAccumulators = broken.ItemEmbeddingAccumulators,
            ItemBiasAccumulators = broken.ItemBiasAccumulators, UserEmbeddingDeltas = broken.UserEmbeddingDeltas,
            UserBiasDeltas = broken.UserBiasDeltas, ItemEmbeddingDeltas = broken.ItemEmbeddingDeltas, ItemBiasDeltas = broken.ItemBiasDeltas,
            TrainedUsers = broken.TrainedUsers, EpochsTrained = broken.EpochsTrained,
        };
        var ex = Assert.Throws<ArgumentException>(() => WarpModelParameters.FromArrays(Data.Users, Data.Items, shortArrays));
        Assert.Contains("ItemEmbeddings", ex.Message);
    }

    [Fact]
    public void HasTrainingInteractionsIsTrueExactlyForUsersWithATrainingRow()
    {
        // Drop every entry of users 0..9.
        var rows = new List<int>(); var cols = new List<int>(); var vals = new List<float>();
        for (int u = 10; u < Data.Train.Rows; u++)
            foreach (int i in Data.Train.RowIndices(u)) { rows.Add(u); cols.Add(i); vals.Add(1f); }
        var train = CsrMatrix.FromTriplets(Data.Train.Rows, Data.Train.Columns, rows.ToArray(), cols.ToArray(), vals.ToArray());
        var model = Trainer(epochs: 1).Fit(train, Data.Users, Data.Items);
        for (int u = 0; u < Data.Users.Count; u++) Assert.Equal(u >= 10, model.HasTrainingInteractions(u));
    }

    [Fact]
    public void IdentityOffWithItemFeaturesLearnsAndScoresAColdItemFromItsFeatures()
    {
        // Item features: a one-hot of the item's cluster plus a constant feature. No item identity.
        int n = Data.Items.Count;
        var rows = new List<int>(); var cols = new List<int>(); var vals = new List<float>();
        for (int i = 0; i < n; i++)
        {
            rows.Add(i); cols.Add(Data.ItemCluster[i]); vals.Add(1f);
            rows.Add(i); cols.Add(3); vals.Add(1f);
        }
        var features = CsrMatrix.FromTriplets(n, 4, rows.ToArray(), cols.ToArray(), vals.ToArray());
        var trainer = new WarpTrainer(new WarpTrainer.Options { NumberOfEpochs = 15, UseItemIdentityFeatures = false, NumberOfComponents = 8 });
        var model = trainer.Fit(Data.Train, Data.Users, Data.Items, itemFeatures: features);
        Assert.Equal(4, model.ItemFeatureCount);
        Assert.False(model.UsesItemIdentityFeatures);

        // A cold item of cluster c (features {c, constant}) must score higher for users of cluster c than for others.
        int d = model.Dimension;
        var packed = new float[d + 2];
        for (int c = 0; c < 3; c++)
        {
            model.ComputeItemRepresentation(new[] { c, 3 }, new[] { 1f, 1f }, packed);
            Assert.Equal(1f, packed[d]);
            Assert.True(Math.Abs(packed[d + 1]) + packed.Take(d).Sum(Math.Abs) > 1e-3, "cold representation is all zero");
            double own = 0, other = 0; int nOwn = 0, nOther = 0;
            var pu = new float[d + 2];
            for (int u = 0; u < Data.Users.Count; u++)
            {
                model.GetPackedUserVector(u, pu);
                double s = 0;
                for (int k = 0; k < d + 2; k++) s += pu[k] * packed[k];
                if (Data.UserCluster[u] == c) { own += s; nOwn++; } else { other += s; nOther++; }
            }
            Assert.True(own / nOwn > other / nOther + 0.5, $"cluster {c}: own {own / nOwn:F3} vs other {other / nOther:F3}");
            // A cold item built from the same features as a warm item gets that item's representation.
            int warm = Array.IndexOf(Data.ItemCluster, c);
            var warmPacked = new float[d + 2];
            model.GetPackedItemVector(warm, warmPacked);
            for (int k = 0; k < d + 2; k++) Assert.Equal(warmPacked[k], packed[k], 5);
        }
        Assert.Throws<ArgumentException>(() => model.ComputeItemRepresentation(new[] { 4 }, new[] { 1f }, packed));
        Assert.Throws<ArgumentException>(() => model.ComputeItemRepresentation(new[] { 0 }, new[] { 1f, 2f }, packed));
    }

    [Fact]
    public void UserFeaturesWithoutIdentityScoreAColdUserTowardsItsCluster()
    {
        // User features: a one-hot of the user's cluster. No user identity.
        int n = Data.Users.Count;
        var features = CsrMatrix.FromTriplets(n, 3, Enumerable.Range(0, n).ToArray(), Data.UserCluster, Enumerable.Repeat(1f, n).ToArray());
        var trainer = new WarpTrainer(new WarpTrainer.Options { NumberOfEpochs = 10, UseUserIdentityFeatures = false, NumberOfComponents = 8 });
        var model = trainer.Fit(Data.Train, Data.Users, Data.Items, userFeatures: features);
        Assert.Equal(3, model.UserFeatureCount);
        int d = model.Dimension;
        var packed = new float[d + 2];
        var scores = new float[Data.Items.Count];
        var top = new int[10];
        var topScores = new float[10];
        for (int c = 0; c < 3; c++)
        {
            model.ComputeUserRepresentation(new[] { c }, new[] { 1f }, packed);
            Assert.Equal(1f, packed[d + 1]);
            model.ScoreItems(packed, scores);
            DeskdropML.Recommending.TopK.Select(scores, 10, top, topScores);
            int own = top.Count(i => Data.ItemCluster[i] == c);
            Assert.True(own >= 8, $"cluster {c}: only {own} of the cold user's top 10 items are from its cluster");
            // The cold user built from cluster c's feature equals any warm user of cluster c.
            int warm = Array.IndexOf(Data.UserCluster, c);
            var warmScores = new float[Data.Items.Count];
            model.ScoreItems(warm, warmScores);
            for (int i = 0; i < scores.Length; i++) Assert.Equal(warmScores[i], scores[i], 4);
        }
    }

    [Fact]
    public void SampleWeightsScaleTheUpdates()
    {
        // Zero weights mean no WARP updates at all: the parameters stay at their initial values.
        var zero = Data.Train.MapValues(_ => 0f);
        var untrained = Trainer(epochs: 2).Fit(zero, Data.Users, Data.Items);
        var reference = Trainer(epochs: 2).Fit(Data.Train, Data.Users, Data.Items);
        var init = new WarpTrainer(new WarpTrainer.Options { NumberOfEpochs = 1, NumberOfComponents = 8, LearningRate = 1e-30f }).Fit(zero, Data.Users, Data.Items);
        Assert.True(untrained.ItemFeatureParameters.SequenceEqual(init.ItemFeatureParameters));
        Assert.False(reference.ItemFeatureParameters.SequenceEqual(init.ItemFeatureParameters));
    }

    [Fact]
    public void L2ShrinksTheLearnedEmbeddings()
    {
        WarpModelParameters Fit(float alpha) => new WarpTrainer(new WarpTrainer.Options
        { NumberOfEpochs = 10, NumberOfComponents = 8, UserAlpha = alpha, ItemAlpha = alpha }).Fit(Data.Train, Data.Users, Data.Items);
        static double Norm(ReadOnlySpan<float> v) { double s = 0; foreach (float x in v) s += x * x; return Math.Sqrt(s); }
        var free = Fit(0f);
        var shrunk = Fit(0.5f);
        Assert.True(Norm(shrunk.ToArrays().ItemEmbeddings) < 0.8 * Norm(free.ToArrays().ItemEmbeddings),
            $"{Norm(shrunk.ToArrays().ItemEmbeddings):F3} vs {Norm(free.ToArrays().ItemEmbeddings):F3}");
    }

    /// <summary>IProgress that reports synchronously (Progress&lt;T&gt; posts to the thread pool).</summary>
    private sealed class SyncProgress(List<WarpEpochInfo> sink) : IProgress<WarpEpochInfo>
    {
        public void Report(WarpEpochInfo value) => sink.Add(value);
    }
}
