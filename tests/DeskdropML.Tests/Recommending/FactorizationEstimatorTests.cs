using DeskdropML.Recommending;
using DeskdropML.Sparse;
using DeskdropML.Tests.Contract;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeskdropML.Tests.Recommending;

public sealed class FactorizationEstimatorTests
{
    private sealed class DoubleLabelRow
    {
        public string UserId { get; set; } = "";
        public string ItemId { get; set; } = "";
        public double Weight { get; set; }
    }

    private sealed class NumericUserRow
    {
        public float UserId { get; set; }
        public string ItemId { get; set; } = "";
    }

    private static IDataView View(MLContext ml, params (string U, string I, float W)[] rows) =>
        ml.Data.LoadFromEnumerable(rows.Select(r => new InteractionRow { UserId = r.U, ItemId = r.I, Label = r.W }).ToList());

    [Fact]
    public void DuplicatePairsAreSummedAndIdsSortedOrdinally()
    {
        var ml = new MLContext(seed: 1);
        var estimator = new TestLeastSquaresEstimator(ml, 1, labelColumnName: "Label");
        var t = estimator.Fit(View(ml, ("b", "y", 1), ("a", "z", 2), ("b", "y", 0.5f), ("B", "x", 4)));
        Assert.Equal(new[] { "B", "a", "b" }, t.Model.Users.Ids);
        Assert.Equal(new[] { "x", "y", "z" }, t.Model.Items.Ids);
        var m = estimator.LastInteractions!;
        Assert.Equal(3, m.NonZeroCount);
        Assert.Equal(1.5f, m.Get(2, 1));
        Assert.Equal(2f, m.Get(1, 2));
        Assert.Equal(4f, m.Get(0, 0));
        Assert.Same(m, t.TrainingInteractions);
        Assert.Equal(new[] { 1f, 1f, 1f }, t.FallbackScores.ToArray());
        Assert.Equal("test-least-squares", t.ModelKind);
    }

    [Fact]
    public void WithoutLabelEveryRowWeighsOneAndDoubleLabelsAreRead()
    {
        var ml = new MLContext(seed: 1);
        var noLabel = new TestLeastSquaresEstimator(ml, 1);
        noLabel.Fit(View(ml, ("a", "x", 5), ("a", "x", 7)));
        Assert.Equal(2f, noLabel.LastInteractions!.Get(0, 0));

        var withDouble = new TestLeastSquaresEstimator(ml, 1, labelColumnName: "Weight");
        withDouble.Fit(ml.Data.LoadFromEnumerable(new[] { new DoubleLabelRow { UserId = "a", ItemId = "x", Weight = 2.5 } }));
        Assert.Equal(2.5f, withDouble.LastInteractions!.Get(0, 0));
    }

    [Fact]
    public void CataloguesFixTheMapsAndRejectOutsiders()
    {
        var ml = new MLContext(seed: 1);
        var items = new IdMap(new[] { "z", "y", "x", "cold-item" });
        var estimator = new TestLeastSquaresEstimator(ml, 1, itemCatalog: items);
        var t = estimator.Fit(View(ml, ("a", "x", 1), ("b", "y", 1)));
        Assert.Same(items, t.Model.Items);
        Assert.Equal(4, estimator.LastInteractions!.Columns);
        Assert.True(estimator.LastInteractions.Contains(0, 2));
        Assert.Equal(0f, t.FallbackScores[3]);

        var e = Assert.Throws<ArgumentException>(() => estimator.Fit(View(ml, ("a", "x", 1), ("a", "w", 1))));
        Assert.Contains("Row 1", e.Message);
        Assert.Contains("'w'", e.Message);
    }

    [Fact]
    public void BadInputIsRejectedNamingTheColumnOrRow()
    {
        var ml = new MLContext(seed: 1);
        var good = View(ml, ("a", "x", 1));
        var missing = Assert.Throws<ArgumentException>(() => new TestLeastSquaresEstimator(ml, 1, "Person").Fit(good));
        Assert.Contains("'Person'", missing.Message);
        var missingLabel = Assert.Throws<ArgumentException>(() => new TestLeastSquaresEstimator(ml, 1, labelColumnName: "Strength").Fit(good));
        Assert.Contains("'Strength'", missingLabel.Message);
        var wrongLabel = Assert.Throws<ArgumentException>(() => new TestLeastSquaresEstimator(ml, 1, labelColumnName: "ItemId").Fit(good));
        Assert.Contains("'ItemId'", wrongLabel.Message);
        var numeric = ml.Data.LoadFromEnumerable(new[] { new NumericUserRow { UserId = 3, ItemId = "x" } });
        var wrongType = Assert.Throws<ArgumentException>(() => new TestLeastSquaresEstimator(ml, 1).Fit(numeric));
        Assert.Contains("'UserId'", wrongType.Message);
        Assert.Contains("text", wrongType.Message);

        var nan = Assert.Throws<ArgumentException>(() => new TestLeastSquaresEstimator(ml, 1, labelColumnName: "Label")
            .Fit(View(ml, ("a", "x", 1), ("b", "x", 2), ("c", "y", float.NaN))));
        Assert.Contains("Row 2", nan.Message);
        var emptyId = Assert.Throws<ArgumentException>(() => new TestLeastSquaresEstimator(ml, 1).Fit(View(ml, ("a", "x", 1), ("a", "", 1))));
        Assert.Contains("Row 1", emptyId.Message);
        Assert.Contains("item id", emptyId.Message);

        var shapeError = Assert.Throws<ArgumentException>(() => new TestLeastSquaresEstimator(ml, 1).GetOutputSchema(
            SchemaShapes.From(ml.Data.LoadFromEnumerable(new[] { new NumericUserRow() }).Schema)));
        Assert.Contains("'UserId'", shapeError.Message);
        var shapeMissing = Assert.Throws<ArgumentException>(() => new TestLeastSquaresEstimator(ml, 1, labelColumnName: "W").GetOutputSchema(
            SchemaShapes.From(good.Schema)));
        Assert.Contains("'W'", shapeMissing.Message);
    }

    [Fact]
    public void DelegateEstimatorPlugsATrainerInWithOneLine()
    {
        var ml = new MLContext(seed: 1);
        var data = PlantedData.Create(seed: 12);
        CsrMatrix? seen = null;
        var estimator = new FactorizationEstimator<TestFactorizationModel>(ml, "delegate-test",
            (m, u, i) => { seen = m; return TestLeastSquaresTrainer.Fit(m, u, i, seed: 2); }, labelColumnName: "Label");
        var t = estimator.Fit(data.TrainView(ml));
        Assert.Equal("delegate-test", t.ModelKind);
        Assert.Equal(data.Train.NonZeroCount, seen!.NonZeroCount);
        Assert.Equal(data.Train.Values.ToArray(), seen.Values.ToArray());
        var direct = TestLeastSquaresTrainer.Fit(data.Train, data.Users, data.Items, seed: 2);
        var a = new float[6]; var b = new float[6];
        t.Model.GetPackedItemVector(3, a);
        direct.GetPackedItemVector(3, b);
        Assert.Equal(b, a);
        Assert.Throws<ArgumentNullException>(() => new FactorizationEstimator<TestFactorizationModel>(ml, "x", null!));
    }

    [Fact]
    public void EstimatorAppendsAfterMlNetTransforms()
    {
        var ml = new MLContext(seed: 1);
        var data = PlantedData.Create(seed: 6);
        var pipeline = ml.Transforms.Text.NormalizeText("ItemIdNorm", "ItemId", keepDiacritics: true)
            .Append(new TestLeastSquaresEstimator(ml, 1, itemIdColumnName: "ItemIdNorm", labelColumnName: "Label"));
        var fitted = pipeline.Fit(data.TrainView(ml));
        FactorizationScoringTransformer scoring = fitted.LastTransformer;
        Assert.Equal("ItemIdNorm", scoring.ItemIdColumnName);
        var scored = fitted.Transform(data.TrainView(ml));
        var scores = scored.GetColumn<float>("Score").ToArray();
        Assert.Equal(data.TrainRows.Count, scores.Length);
        Assert.All(scores, s => Assert.True(float.IsFinite(s)));
    }
}
