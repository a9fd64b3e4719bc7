using DeskdropML.Persistence;
using DeskdropML.Recommending;
using DeskdropML.Sparse;
using DeskdropML.Trainers.Popularity;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeskdropML.Tests.Contract;

/// <summary>
/// The contract every factorization trainer must meet. A trainer's test class derives from this class and supplies
/// the two factories; the tests then run against that trainer.
/// </summary>
public abstract class RecommenderContractTests<TModel> where TModel : class, IFactorizationModel
{
    /// <summary>Fits the trainer's core API on a matrix with a seed.</summary>
    protected abstract TModel FitModel(CsrMatrix interactions, IdMap users, IdMap items, int seed);

    /// <summary>Creates the trainer's ML.NET estimator reading columns "UserId", "ItemId" and weight "Label".</summary>
    protected abstract IEstimator<FactorizationScoringTransformer> CreateEstimator(MLContext mlContext, int seed);

    /// <summary>Minimum hit rate @5 on held-out planted items (the trainer's own bar; popularity must be beaten anyway).</summary>
    protected virtual double MinimumHitRate => 0.3;

    [Fact]
    public void Contract_BeatsPopularityOnHeldOutPlantedItems()
    {
        var data = PlantedData.Create(seed: 11);
        var model = FitModel(data.Train, data.Users, data.Items, seed: 1);
        var popularity = PopularityModel.Fit(data.Train, data.Users, data.Items);
        var withModel = new Recommender(model, data.Train, popularity);
        var popularOnly = new Recommender(popularity, data.Train, popularity);

        double HitRate(Recommender r)
        {
            int hits = 0;
            var all = Enumerable.Range(0, data.Users.Count).ToArray();
            var lists = r.RecommendBatch(all, 5);
            for (int u = 0; u < all.Length; u++) if (lists[u].Contains(data.HeldOut[u])) hits++;
            return hits / (double)all.Length;
        }
        double model5 = HitRate(withModel), pop5 = HitRate(popularOnly);
        Assert.True(model5 > pop5 + 0.1, $"hit rate@5: model {model5:F3}, popularity {pop5:F3}");
        Assert.True(model5 >= MinimumHitRate, $"hit rate@5 {model5:F3} below {MinimumHitRate}");
    }

    [Fact]
    public void Contract_TopKWithExclusionNeverReturnsKnownItems()
    {
        var data = PlantedData.Create(seed: 5);
        var model = FitModel(data.Train, data.Users, data.Items, seed: 2);
        var recommender = new Recommender(model, data.Train, PopularityModel.Fit(data.Train, data.Users, data.Items));
        int k = data.Items.Count; // ask for everything: only the unknown items may come back
        for (int u = 0; u < data.Users.Count; u++)
        {
            var list = recommender.Recommend(data.Users[u], k);
            Assert.False(list.IsFallback);
            Assert.Equal(data.Items.Count - data.Train.RowLength(u), list.Items.Count);
            foreach (var item in list.Items) Assert.False(data.Train.Contains(u, data.Items.IndexOf(item.ItemId)));
        }
        var batch = recommender.RecommendBatch(Enumerable.Range(0, data.Users.Count).ToArray(), 10, threads: 2);
        for (int u = 0; u < batch.Length; u++)
            foreach (int i in batch[u]) Assert.False(data.Train.Contains(u, i));
        Assert.Equal(batch, recommender.RecommendBatch(Enumerable.Range(0, data.Users.Count).ToArray(), 10, threads: 1));
    }

    [Fact]
    public void Contract_PackedFormAndScoreItemsAgree()
    {
        var data = PlantedData.Create(seed: 14);
        var model = FitModel(data.Train, data.Users, data.Items, seed: 3);
        Assert.Equal(data.Users.Ids, model.Users.Ids);
        Assert.Equal(data.Items.Ids, model.Items.Ids);
        int d = model.Dimension, p = d + 2;
        Assert.True(d >= 1, $"Dimension {d}");
        var user = new float[p];
        var item = new float[p];
        var scores = new float[data.Items.Count];
        for (int u = 0; u < data.Users.Count; u += 3)
        {
            Assert.Equal(data.Train.RowLength(u) > 0, model.HasTrainingInteractions(u));
            model.GetPackedUserVector(u, user);
            Assert.Equal(1f, user[d + 1]); // [p_u, b_u, 1]
            model.ScoreItems(u, scores);
            for (int i = 0; i < data.Items.Count; i++)
            {
                model.GetPackedItemVector(i, item);
                Assert.Equal(1f, item[d]); // [q_i, 1, b_i]
                double expected = 0;
                for (int j = 0; j < p; j++) expected += (double)user[j] * item[j];
                Assert.True(Math.Abs(expected - scores[i]) <= 1e-4 * (1 + Math.Abs(expected)),
                    $"ScoreItems({u})[{i}] = {scores[i]} but packed dot = {expected}");
            }
        }
    }

    [Fact]
    public void Contract_SameSeedGivesBitIdenticalModel()
    {
        var data = PlantedData.Create(seed: 3);
        var a = FitModel(data.Train, data.Users, data.Items, seed: 7);
        var b = FitModel(data.Train, data.Users, data.Items, seed: 7);
        Assert.Equal(PackedBits(a), PackedBits(b));
    }

    [Fact]
    public void Contract_TypedZipRoundTripIsBitIdentical()
    {
        var ml = new MLContext(seed: 1);
        var data = PlantedData.Create(seed: 4);
        var view = data.TrainView(ml);
        var transformer = CreateEstimator(ml, seed: 3).Fit(view);
        string path = TempPath();
        try
        {
            FactorizationModelZip.Save(ml, transformer, view.Schema, path);
            var stored = FactorizationModelZip.Load(path);
            Assert.Equal(PackedBits(transformer.Model), PackedBits(stored));
            Assert.Equal(transformer.TrainingInteractions.ColumnIndices.ToArray(), stored.TrainingInteractions.ColumnIndices.ToArray());
            Assert.Equal(transformer.TrainingInteractions.RowPointers.ToArray(), stored.TrainingInteractions.RowPointers.ToArray());
            Assert.Equal(Bits(transformer.TrainingInteractions.Values), Bits(stored.TrainingInteractions.Values));
            Assert.Equal(Bits(transformer.FallbackScores), Bits(stored.FallbackScores));
            for (int u = 0; u < stored.Users.Count; u++)
                Assert.Equal(transformer.Model.HasTrainingInteractions(u), stored.HasTrainingInteractions(u));

            // Top-k of the typed model equals top-k of the live model (scores may differ in the last bits only).
            var live = transformer.CreateRecommender();
            var loaded = stored.CreateRecommender();
            for (int u = 0; u < data.Users.Count; u += 7)
            {
                var x = live.Recommend(data.Users[u], 5).Items;
                var y = loaded.Recommend(data.Users[u], 5).Items;
                Assert.Equal(x.Select(i => i.ItemId), y.Select(i => i.ItemId));
                Assert.Equal(Bits(x.Select(i => i.Score).ToArray()), Bits(y.Select(i => i.Score).ToArray()));
            }
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Contract_MlNetZipRoundTripIsBitIdentical()
    {
        var ml = new MLContext(seed: 1);
        var data = PlantedData.Create(seed: 4);
        var view = data.TrainView(ml);
        var transformer = CreateEstimator(ml, seed: 3).Fit(view);
        var rows = EvaluationRows(data);
        var before = Scores(ml, transformer, rows);
        string path = TempPath();
        try
        {
            FactorizationModelZip.Save(ml, transformer, view.Schema, path);
            var fresh = new MLContext(seed: 99);
            var loaded = FactorizationModelZip.LoadMlNet(fresh, path, out var schema);
            Assert.NotNull(schema.GetColumnOrNull("UserId"));
            Assert.Equal(Bits(before), Bits(Scores(fresh, loaded, rows)));
            var typed = FactorizationModelZip.LoadTransformer(fresh, path);
            Assert.Equal(Bits(before), Bits(Scores(fresh, typed, rows)));
        }
        finally { File.Delete(path); }

        // The scores themselves: model dot product for known pairs, NaN for the unknown item, fallback for the unknown user.
        var packedUser = new float[transformer.Model.Dimension + 2];
        var packedItem = new float[transformer.Model.Dimension + 2];
        for (int j = 0; j < rows.Count; j++)
        {
            int u = data.Users.IndexOf(rows[j].UserId), i = data.Items.IndexOf(rows[j].ItemId);
            if (i < 0) Assert.True(float.IsNaN(before[j]));
            else if (u < 0) Assert.Equal(transformer.FallbackScores[i], before[j]);
            else
            {
                transformer.Model.GetPackedUserVector(u, packedUser);
                transformer.Model.GetPackedItemVector(i, packedItem);
                double expected = 0;
                for (int d = 0; d < packedUser.Length; d++) expected += (double)packedUser[d] * packedItem[d];
                // Relative: float dot products of large scores (e.g. unnormalised BM25 similarities) differ in the last bits.
                Assert.True(Math.Abs(expected - before[j]) <= 1e-5 * (1 + Math.Abs(expected)), $"row {j}: transformer {before[j]}, packed dot {expected}");
            }
        }
    }

    [Fact]
    public void Contract_EmptyDataIsRejected()
    {
        var ml = new MLContext(seed: 1);
        var empty = ml.Data.LoadFromEnumerable(new List<InteractionRow>());
        var e = Assert.Throws<ArgumentException>(() => CreateEstimator(ml, seed: 1).Fit(empty));
        Assert.Contains("no rows", e.Message);
    }

    [Fact]
    public void Contract_UnknownUserAndUserWithoutTrainingGetPopularityFallback()
    {
        var data = PlantedData.Create(seed: 8);
        // Add a user without any training row to the map.
        var users = new IdMap(data.Users.Ids.Append("zz-cold"));
        var pointers = data.Train.RowPointers.ToArray().Append(data.Train.NonZeroCount).ToArray();
        var train = new CsrMatrix(users.Count, data.Items.Count, pointers, data.Train.ColumnIndices.ToArray(), data.Train.Values.ToArray());
        var model = FitModel(train, users, data.Items, seed: 1);
        Assert.False(model.HasTrainingInteractions(users.Count - 1));
        var popularity = PopularityModel.Fit(train, users, data.Items);
        var recommender = new Recommender(model, train, popularity);
        var popular = new Recommender(popularity, train, popularity).Recommend("never-seen", 10).Items;

        foreach (string id in new[] { "never-seen", "zz-cold" })
        {
            var list = recommender.Recommend(id, 10);
            Assert.True(list.IsFallback);
            Assert.Equal(popular, list.Items);
        }
        Assert.False(recommender.Recommend(users[0], 10).IsFallback);
    }

    [Fact]
    public void Contract_UnknownItemIdIsAClearError()
    {
        var data = PlantedData.Create(seed: 9);
        var model = FitModel(data.Train, data.Users, data.Items, seed: 1);
        var recommender = new Recommender(model, data.Train, PopularityModel.Fit(data.Train, data.Users, data.Items));
        var e = Assert.Throws<KeyNotFoundException>(() => recommender.SimilarItems("no-such-item", 5));
        Assert.Contains("no-such-item", e.Message);
        Assert.Equal(5, recommender.SimilarItems(data.Items[0], 5).Count);
    }

    protected static List<InteractionRow> EvaluationRows(PlantedData data)
    {
        var rows = new List<InteractionRow>();
        for (int u = 0; u < data.Users.Count; u += 9)
            for (int i = 0; i < data.Items.Count; i += 4)
                rows.Add(new InteractionRow { UserId = data.Users[u], ItemId = data.Items[i] });
        rows.Add(new InteractionRow { UserId = "unknown-user", ItemId = data.Items[1] });
        rows.Add(new InteractionRow { UserId = data.Users[0], ItemId = "unknown-item" });
        return rows;
    }

    protected static float[] Scores(MLContext ml, ITransformer transformer, List<InteractionRow> rows) =>
        transformer.Transform(ml.Data.LoadFromEnumerable(rows)).GetColumn<float>(FactorizationScoringTransformer.ScoreColumnName).ToArray();

    protected static int[] Bits(ReadOnlySpan<float> values)
    {
        var bits = new int[values.Length];
        for (int i = 0; i < bits.Length; i++) bits[i] = BitConverter.SingleToInt32Bits(values[i]);
        return bits;
    }

    protected static int[] PackedBits(IFactorizationModel model)
    {
        int p = model.Dimension + 2;
        var all = new float[(model.Users.Count + model.Items.Count) * p];
        for (int u = 0; u < model.Users.Count; u++) model.GetPackedUserVector(u, all.AsSpan(u * p, p));
        for (int i = 0; i < model.Items.Count; i++) model.GetPackedItemVector(i, all.AsSpan((model.Users.Count + i) * p, p));
        return Bits(all);
    }

    protected static string TempPath() => Path.Combine(Path.GetTempPath(), $"deskdropml-{Guid.NewGuid():N}.zip");
}

/// <summary>The contract run against the test-only least-squares model (proves the suite itself works).</summary>
public sealed class TestLeastSquaresContractTests : RecommenderContractTests<TestFactorizationModel>
{
    protected override TestFactorizationModel FitModel(CsrMatrix interactions, IdMap users, IdMap items, int seed) =>
        TestLeastSquaresTrainer.Fit(interactions, users, items, seed);

    protected override IEstimator<FactorizationScoringTransformer> CreateEstimator(MLContext mlContext, int seed) =>
        new TestLeastSquaresEstimator(mlContext, seed, labelColumnName: "Label");
}
