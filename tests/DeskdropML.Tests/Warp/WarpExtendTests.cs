using DeskdropML.Sparse;
using DeskdropML.Trainers.Warp;

namespace DeskdropML.Tests.Warp;

/// <summary>Incremental updates with new ids: <see cref="WarpTrainer.Extend"/> then <see cref="WarpTrainer.FitPartial"/>.</summary>
public class WarpExtendTests
{
    private static readonly PlantedData Data = PlantedData.Generate();

    private static WarpTrainer Trainer(int epochs = 10) =>
        new(new WarpTrainer.Options { NumberOfEpochs = epochs, NumberOfThreads = 1, Seed = 42, NumberOfComponents = 8 });

    private static IdMap Grown(IdMap map, string prefix, int extra) => new(map.Ids.Concat(Enumerable.Range(0, extra).Select(k => $"{prefix}{k}")));

    /// <summary>The train matrix over the grown maps: the old rows, then one new user who read exactly user 0's train items plus the first new item.</summary>
    private static CsrMatrix GrownTrain(int users, int items)
    {
        var rows = new List<int>(); var cols = new List<int>();
        for (int u = 0; u < Data.Users.Count; u++) foreach (int i in Data.Train.RowIndices(u)) { rows.Add(u); cols.Add(i); }
        foreach (int i in Data.Train.RowIndices(0)) { rows.Add(Data.Users.Count); cols.Add(i); }
        rows.Add(Data.Users.Count); cols.Add(Data.Items.Count);
        return CsrMatrix.FromTriplets(users, items, rows.ToArray(), cols.ToArray(), Enumerable.Repeat(1f, rows.Count).ToArray());
    }

    [Fact]
    public void Extending_keeps_every_old_parameter_and_score_and_initialises_new_ids_deterministically()
    {
        var trainer = Trainer();
        var model = trainer.Fit(Data.Train, Data.Users, Data.Items);
        var users = Grown(Data.Users, "new-user-", 2);
        var items = Grown(Data.Items, "new-item-", 3);
        var grown = trainer.Extend(model, users, items);
        Assert.Equal(users.Count, grown.Users.Count);
        Assert.Equal(items.Count, grown.Items.Count);
        Assert.Equal(model.EpochsTrained, grown.EpochsTrained);
        for (int u = 0; u < Data.Users.Count; u += 17)
            for (int i = 0; i < Data.Items.Count; i += 7)
                Assert.Equal(model.Score(u, i), grown.Score(u, i));
        Assert.True(grown.UserFeatureParameters[..model.UserFeatureParameters.Length].SequenceEqual(model.UserFeatureParameters));
        Assert.True(grown.ToArrays().ItemEmbeddingAccumulators.Take(model.ToArrays().ItemEmbeddingAccumulators.Length).SequenceEqual(model.ToArrays().ItemEmbeddingAccumulators));
        Assert.False(grown.HasTrainingInteractions(Data.Users.Count));
        Assert.True(grown.HasTrainingInteractions(0));
        // New rows are initialised, not zero, and the same seed gives the same values.
        Assert.Contains(grown.UserFeatureParameters[model.UserFeatureParameters.Length..].ToArray(), v => v != 0);
        Assert.True(trainer.Extend(model, users, items).ItemFeatureParameters.SequenceEqual(grown.ItemFeatureParameters));
    }

    [Fact]
    public void Fit_partial_after_extending_trains_the_new_user_on_its_items()
    {
        var trainer = Trainer();
        var model = trainer.Fit(Data.Train, Data.Users, Data.Items);
        var users = Grown(Data.Users, "new-user-", 1);
        var items = Grown(Data.Items, "new-item-", 1);
        var train = GrownTrain(users.Count, items.Count);
        var grown = trainer.Extend(model, users, items);
        int newUser = Data.Users.Count;
        double Auc(WarpModelParameters m)
        {
            var scores = new float[items.Count];
            m.ScoreItems(newUser, scores);
            var read = train.RowIndices(newUser).ToArray().ToHashSet();
            double wins = 0, pairs = 0;
            foreach (int i in read)
                for (int j = 0; j < items.Count; j++)
                    if (!read.Contains(j)) { pairs++; wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0; }
            return wins / pairs;
        }
        double before = Auc(grown);
        var updated = trainer.FitPartial(grown, train, 10);
        double after = Auc(updated);
        Assert.True(updated.HasTrainingInteractions(newUser));
        Assert.True(after > 0.8 && after > before + 0.2, $"new user's train AUC {before:F3} -> {after:F3}");
    }

    [Fact]
    public void Maps_that_do_not_extend_the_model_and_side_feature_models_are_refused()
    {
        var trainer = Trainer(epochs: 1);
        var model = trainer.Fit(Data.Train, Data.Users, Data.Items);
        var reordered = new IdMap(Data.Users.Ids.Reverse());
        var e = Assert.Throws<ArgumentException>(() => trainer.Extend(model, reordered, Data.Items));
        Assert.Equal("users", e.ParamName);
        Assert.Contains("position 0", e.Message);
        Assert.Throws<ArgumentException>(() => trainer.Extend(model, Data.Users, new IdMap(Data.Items.Ids.Take(3))));
        var features = CsrMatrix.FromTriplets(Data.Items.Count, 1, Enumerable.Range(0, Data.Items.Count).ToArray(), new int[Data.Items.Count], Enumerable.Repeat(1f, Data.Items.Count).ToArray());
        var hybrid = trainer.Fit(Data.Train, Data.Users, Data.Items, itemFeatures: features);
        Assert.Contains("side features", Assert.Throws<ArgumentException>(() => trainer.Extend(hybrid, Data.Users, Data.Items)).Message);
    }
}
