using DeskdropML.Persistence;
using DeskdropML.Recommending;
using DeskdropML.Sparse;
using DeskdropML.Tests.Contract;
using DeskdropML.Trainers.Als;
using DeskdropML.Trainers.Warp;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeskdropML.Tests.Recommending;

/// <summary>
/// ML.NET-native inputs: key ids (MapValueToKey), integer ids, keys without key values, the default "Label" column,
/// MatrixFactorization's option names and symmetric catalogues — each compared with the text-id path it must equal.
/// </summary>
public sealed class MlNetInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("deskdropml-input-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private sealed class LongRow
    {
        public long UserId { get; set; }
        public long ItemId { get; set; }
        public float Label { get; set; } = 1f;
    }

    private sealed class RawKeyRow
    {
        [KeyType(10)] public uint UserId { get; set; }
        [KeyType(6)] public uint ItemId { get; set; }
    }

    private sealed class StrengthRow
    {
        public string U { get; set; } = "";
        public string I { get; set; } = "";
        public double Strength { get; set; }
    }

    private static string Hex(float f) => BitConverter.SingleToInt32Bits(f).ToString("X8");

    private static (string User, string Item)[] Probe(PlantedData data)
    {
        var pairs = new List<(string, string)>();
        for (int u = 0; u < data.Users.Count; u += 3)
            for (int i = 0; i < data.Items.Count; i += 4) pairs.Add((data.Users[u], data.Items[i]));
        return pairs.ToArray();
    }

    private static IDataView Rows(MLContext ml, IEnumerable<(string User, string Item)> pairs) =>
        ml.Data.LoadFromEnumerable(pairs.Select(p => new InteractionRow { UserId = p.User, ItemId = p.Item }).ToList());

    [Fact]
    public void MapValueToKeyIdsGiveTheTextModelAndSaveForTopK()
    {
        var ml = new MLContext(seed: 1);
        var data = PlantedData.Create(seed: 31);
        var train = data.TrainView(ml);
        var text = new TestLeastSquaresEstimator(ml, 4, labelColumnName: "Label").Fit(train);

        var keys = ml.Transforms.Conversion.MapValueToKey("UserId").Append(ml.Transforms.Conversion.MapValueToKey("ItemId"));
        var keyed = keys.Append(new TestLeastSquaresEstimator(ml, 4, labelColumnName: "Label")).Fit(train);
        Assert.IsType<KeyDataViewType>(keys.Fit(train).Transform(train).Schema["UserId"].Type);
        // The estimator's shape check accepts key columns (as pipelines, AutoML and cross-validation ask it).
        var shape = keys.Append(new TestLeastSquaresEstimator(ml, 4, labelColumnName: "Label")).GetOutputSchema(SchemaShapes.From(train.Schema));
        Assert.Contains(shape, c => c.Name == "Score" && c.ItemType == NumberDataViewType.Single);
        Assert.Contains(shape, c => c.Name == "UserId" && c.IsKey);
        var model = keyed.LastTransformer;
        Assert.Equal(data.Users.Ids, model.Model.Users.Ids);   // the key values, not key numbers, are the ids
        Assert.Equal(data.Items.Ids, model.Model.Items.Ids);

        // Same rows scored through the key pipeline and the text transformer: bit-identical, incl. unknown ids.
        var probe = Probe(data).Append(("ghost", data.Items[0])).Append((data.Users[0], "ghost")).ToArray();
        var expected = text.Transform(Rows(ml, probe)).GetColumn<float>("Score").Select(Hex).ToArray();
        Assert.Equal(expected, keyed.Transform(Rows(ml, probe)).GetColumn<float>("Score").Select(Hex));

        // mlContext.Model.Save of the whole pipeline; a fresh context loads it, scores the same and gives top-k.
        string path = Path.Combine(_dir, "keys.zip");
        ml.Model.Save(keyed, train.Schema, path);
        var fresh = new MLContext(seed: 9).RegisterDeskdropComponents();
        var loaded = fresh.Model.Load(path, out _);
        Assert.Equal(expected, loaded.Transform(Rows(fresh, probe)).GetColumn<float>("Score").Select(Hex));
        var top = loaded.CreateRecommender().Recommend(data.Users[2], 5);
        Assert.Equal(text.CreateRecommender().Recommend(data.Users[2], 5).Items.Select(i => i.ItemId), top.Items.Select(i => i.ItemId));

        // The typed transformer rebuilt from the file takes key columns too.
        var rebuilt = FactorizationModelZip.LoadTransformer(fresh, path);
        var keyedRows = keys.Fit(train).Transform(Rows(fresh, probe));
        Assert.Equal(expected, rebuilt.Transform(keyedRows).GetColumn<float>("Score").Select(Hex));
    }

    [Fact]
    public void IntegerIdsAreTheirDecimalStrings()
    {
        var ml = new MLContext(seed: 1);
        var rows = new[]
        {
            new LongRow { UserId = -5, ItemId = 10_000_000_000 }, new LongRow { UserId = 7, ItemId = 3 },
            new LongRow { UserId = 7, ItemId = 10_000_000_000, Label = 2 },
        };
        var view = ml.Data.LoadFromEnumerable(rows);
        var estimator = new TestLeastSquaresEstimator(ml, 1, labelColumnName: "Label");
        var t = estimator.Fit(view);
        Assert.Equal(new[] { "-5", "7" }, t.Model.Users.Ids);
        Assert.Equal(new[] { "10000000000", "3" }, t.Model.Items.Ids);
        Assert.Equal(2f, estimator.LastInteractions!.Get(1, 0));
        var scores = t.Transform(ml.Data.LoadFromEnumerable(new[] { new LongRow { UserId = 7, ItemId = 3 }, new LongRow { UserId = 7, ItemId = 4 } }))
            .GetColumn<float>("Score").ToArray();
        var packedUser = new float[t.Model.Dimension + 2];
        var packedItem = new float[t.Model.Dimension + 2];
        t.Model.GetPackedUserVector(1, packedUser);
        t.Model.GetPackedItemVector(1, packedItem);
        Assert.Equal(Hex(System.Numerics.Tensors.TensorPrimitives.Dot(packedUser, packedItem)), Hex(scores[0]));
        Assert.True(float.IsNaN(scores[1]));   // item 4 is not in the catalogue

        // A catalogue id that is not an Int64 in decimal form cannot be matched by the column: rejected by name.
        var bad = new TestLeastSquaresEstimator(ml, 1, itemCatalog: new IdMap(new[] { "3", "10000000000", "x7" }));
        Assert.Contains("'x7'", Assert.Throws<ArgumentException>(() => bad.Fit(view)).Message);
        var padded = new TestLeastSquaresEstimator(ml, 1, itemCatalog: new IdMap(new[] { "3", "10000000000", "007" }));
        Assert.Contains("'007'", Assert.Throws<ArgumentException>(() => padded.Fit(view)).Message);
    }

    [Fact]
    public void KeysWithoutKeyValuesUseTheKeyIndexAndRejectMissingKeys()
    {
        // [KeyType(n)] fields hold 0-based indices (ML.NET stores index + 1, 0 being missing): the id is the index.
        var ml = new MLContext(seed: 1);
        var view = ml.Data.LoadFromEnumerable(new[]
        {
            new RawKeyRow { UserId = 1, ItemId = 2 }, new RawKeyRow { UserId = 9, ItemId = 2 }, new RawKeyRow { UserId = 1, ItemId = 5 },
        });
        var t = new TestLeastSquaresEstimator(ml, 1).Fit(view);
        Assert.Equal(new[] { "1", "9" }, t.Model.Users.Ids);
        Assert.Equal(new[] { "2", "5" }, t.Model.Items.Ids);
        var copy = FactorizationModelBinary.Read(FactorizationModelBinary.Write(StoredFactorizationModel.From(t)), "test");
        Assert.Equal(new ulong[] { 2, 10 }, copy.UserIdEncoding.RawValues);
        Assert.Equal(IdValueKind.Key, copy.ItemIdEncoding.Kind);
        Assert.Equal(6UL, copy.ItemIdEncoding.KeyCount);
        var scores = t.Transform(view).GetColumn<float>("Score").ToArray();
        Assert.All(scores, s => Assert.True(float.IsFinite(s)));

        var missing = ml.Data.LoadFromEnumerable(new[] { new RawKeyRow { UserId = 1, ItemId = 2 }, new RawKeyRow { UserId = 10, ItemId = 2 } });
        var e = Assert.Throws<ArgumentException>(() => new TestLeastSquaresEstimator(ml, 1).Fit(missing));
        Assert.Contains("Row 1", e.Message);
        Assert.Contains("missing key", e.Message);
    }

    [Fact]
    public void LabelDefaultsToTheLabelColumnAndNullMeansWeightOne()
    {
        var ml = new MLContext(seed: 1);
        var data = PlantedData.Create(seed: 8);
        var train = data.TrainView(ml);   // has a Label column with weights 1..3
        var rows = Rows(ml, Probe(data));
        string[] Scores(IEstimator<ITransformer> e) => e.Fit(train).Transform(rows).GetColumn<float>("Score").Select(Hex).ToArray();
        var trainers = ml.Recommenders().Trainers;

        var byDefault = Scores(trainers.Als(numberOfIterations: 3));
        Assert.Equal(byDefault, Scores(trainers.Als(labelColumnName: "Label", numberOfIterations: 3)));
        Assert.NotEqual(byDefault, Scores(trainers.Als(labelColumnName: null, numberOfIterations: 3)));
        Assert.Equal("Label", new AlsTrainer.Options().LabelColumnName);
        Assert.Equal("Label", new WarpTrainer.Options().LabelColumnName);

        // Without a Label column the default weighs every row 1; another missing name is an error.
        var unlabelled = Rows(ml, data.TrainRows.Select(r => (r.UserId, r.ItemId)));
        var a = trainers.Als(numberOfIterations: 3).Fit(unlabelled).Transform(rows).GetColumn<float>("Score").Select(Hex);
        var b = trainers.Als(labelColumnName: null, numberOfIterations: 3).Fit(train).Transform(rows).GetColumn<float>("Score").Select(Hex);
        Assert.Equal(b, a);
        Assert.Contains("'Strength'", Assert.Throws<ArgumentException>(() => trainers.Als(labelColumnName: "Strength").Fit(unlabelled)).Message);
    }

    [Fact]
    public void MatrixFactorizationOptionNamesAreAliases()
    {
        var ml = new MLContext(seed: 1);
        var rows = new[]
        {
            new StrengthRow { U = "a", I = "x", Strength = 2 }, new StrengthRow { U = "b", I = "x", Strength = 1 },
            new StrengthRow { U = "b", I = "y", Strength = 3 }, new StrengthRow { U = "c", I = "z", Strength = 1 },
        };
        var view = ml.Data.LoadFromEnumerable(rows);
        // As MatrixFactorizationTrainer.Options would be written: the user is the matrix column index.
        var options = new AlsTrainer.Options { MatrixColumnIndexColumnName = "U", MatrixRowIndexColumnName = "I", LabelColumnName = "Strength", NumberOfFactors = 2 };
        Assert.Equal(("U", "I"), (options.UserIdColumnName, options.ItemIdColumnName));
        var t = ml.Recommenders().Trainers.Als(options).Fit(view);
        Assert.Equal(new[] { "a", "b", "c" }, t.Model.Users.Ids);
        Assert.Equal(new[] { "x", "y", "z" }, t.Model.Items.Ids);
        Assert.Equal(3f, t.TrainingInteractions.Get(1, 1));

        var simple = ml.Recommenders().Trainers.Warp(labelColumnName: "Strength", matrixColumnIndexColumnName: "U", matrixRowIndexColumnName: "I");
        Assert.Equal(("U", "I"), (simple.UserIdColumnName, simple.ItemIdColumnName));
        var clash = Assert.Throws<ArgumentException>(() => ml.Recommenders().Trainers.Als(userIdColumnName: "Person", matrixColumnIndexColumnName: "U"));
        Assert.Contains("matrixColumnIndexColumnName", clash.Message);
        var same = Assert.Throws<ArgumentOutOfRangeException>(() => new AlsTrainer(new AlsTrainer.Options { MatrixColumnIndexColumnName = "ItemId" }));
        Assert.Equal("ItemIdColumnName", same.ParamName);
    }

    [Fact]
    public void BothEstimatorsTakeUserAndItemCatalogues()
    {
        var ml = new MLContext(seed: 1);
        var data = PlantedData.Create(seed: 3);
        var users = new IdMap(data.Users.Ids.Append("new-user"));
        var items = new IdMap(data.Items.Ids.Append("new-item"));
        var trainers = ml.Recommenders().Trainers;
        foreach (var estimator in new IEstimator<FactorizationScoringTransformer>[]
        {
            trainers.Als(new AlsTrainer.Options { NumberOfIterations = 2 }, userCatalog: users, itemCatalog: items),
            trainers.Warp(new WarpTrainer.Options { NumberOfEpochs = 2 }, userCatalog: users, itemCatalog: items),
        })
        {
            var t = estimator.Fit(data.TrainView(ml));
            Assert.Same(users, t.Model.Users);
            Assert.Same(items, t.Model.Items);
            var recommender = t.CreateRecommender();
            Assert.True(recommender.IsColdUser(users.IndexOf("new-user")));
            Assert.True(recommender.Recommend("new-user", 3).IsFallback);
            var outside = ml.Data.LoadFromEnumerable(new[] { new InteractionRow { UserId = "stranger", ItemId = data.Items[0] } });
            Assert.Contains("not in the given user catalogue", Assert.Throws<ArgumentException>(() => estimator.Fit(outside)).Message);
        }
        Assert.Throws<ArgumentException>(() => trainers.Warp(new WarpTrainer.Options(),
            itemFeatures: new SideFeatures(items, CsrMatrix.Empty(items.Count, 1)), itemCatalog: items));
    }
}
