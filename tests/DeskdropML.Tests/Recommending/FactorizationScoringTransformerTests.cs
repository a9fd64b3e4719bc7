using DeskdropML.Catalog;
using DeskdropML.Recommending;
using DeskdropML.Sparse;
using DeskdropML.Tests.Contract;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeskdropML.Tests.Recommending;

public sealed class FactorizationScoringTransformerTests
{
    private static readonly IdMap Users = new(new[] { "ann", "bob", "cy" });
    private static readonly IdMap Items = new(new[] { "x", "y" });

    // ann: p=(1,2), b_u=0.5; bob: no training interactions; cy: p=(0,-1), b_u=0.
    // x: q=(3,-1), b_i=0.25; y: q=(0.5,0.5), b_i=-1.
    // ann·x = 3-2+0.5+0.25 = 1.75; ann·y = 0.5+1+0.5-1 = 1; cy·x = 1+0.25 = 1.25; cy·y = -0.5-1 = -1.5.
    private static TestFactorizationModel Model() => new(Users, Items, 2,
        new float[] { 1, 2, 7, 7, 0, -1 }, new float[] { 0.5f, 3, 0 },
        new float[] { 3, -1, 0.5f, 0.5f }, new float[] { 0.25f, -1 }, new[] { true, false, true });

    private static readonly CsrMatrix Train = CsrMatrix.FromTriplets(3, 2, new[] { 0, 2, 2 }, new[] { 0, 0, 1 }, new[] { 1f, 1f, 1f });

    private static float[] Score(MLContext ml, ITransformer t, params (string User, string Item)[] pairs)
    {
        var view = ml.Data.LoadFromEnumerable(pairs.Select(p => new InteractionRow { UserId = p.User, ItemId = p.Item }));
        return t.Transform(view).GetColumn<float>("Score").ToArray();
    }

    [Fact]
    public void ScoresAreKnownAnswersWithFallbackAndNaNRules()
    {
        var ml = new MLContext(seed: 1);
        var t = new FactorizationScoringTransformer(ml, Model(), Train, new[] { 40f, 30f });
        var scores = Score(ml, t, ("ann", "x"), ("ann", "y"), ("cy", "x"), ("cy", "y"), ("bob", "x"), ("nobody", "y"), ("ann", "nothing"), ("", "x"));
        Assert.Equal(new[] { 1.75f, 1f, 1.25f, -1.5f, 40f, 30f }, scores[..6]);
        Assert.True(float.IsNaN(scores[6]));
        Assert.Equal(40f, scores[7]);
    }

    [Fact]
    public void ModelWhoseUsersAreAllColdScoresEveryRowByTheFallback()
    {
        var ml = new MLContext(seed: 1);
        var cold = new TestFactorizationModel(Users, Items, 2, new float[6], new float[3], new float[] { 3, -1, 0.5f, 0.5f },
            new float[] { 0.25f, -1 }, new[] { false, false, false });
        var t = new FactorizationScoringTransformer(ml, cold, CsrMatrix.Empty(3, 2), new[] { 5f, 6f });
        var scores = Score(ml, t, ("ann", "x"), ("cy", "y"), ("ann", "none"));
        Assert.Equal(new[] { 5f, 6f }, scores[..2]);
        Assert.True(float.IsNaN(scores[2]));
    }

    [Fact]
    public void DefaultFallbackIsPopularity()
    {
        var ml = new MLContext(seed: 1);
        var t = new FactorizationScoringTransformer(ml, Model(), Train);
        Assert.Equal(new[] { 2f, 1f }, t.FallbackScores.ToArray());
        Assert.Equal(new[] { 2f, 1f }, Score(ml, t, ("bob", "x"), ("bob", "y")));
    }

    [Fact]
    public void OutputSchemaAddsScoreAndHidesTemporaryColumns()
    {
        var ml = new MLContext(seed: 1);
        var t = new FactorizationScoringTransformer(ml, Model(), Train);
        var input = ml.Data.LoadFromEnumerable(new[] { new InteractionRow { UserId = "ann", ItemId = "x" } });
        var schema = t.GetOutputSchema(input.Schema);
        Assert.Equal(NumberDataViewType.Single, schema["Score"].Type);
        Assert.Equal(TextDataViewType.Instance, schema["UserId"].Type);
        Assert.Null(schema.GetColumnOrNull(FactorizationScoringTransformer.UserVectorColumnName));
        Assert.Null(schema.GetColumnOrNull(FactorizationScoringTransformer.ItemVectorColumnName));
        Assert.True(t.IsRowToRowMapper);

        var estimator = new TestLeastSquaresEstimator(ml, 1);
        var shape = estimator.GetOutputSchema(SchemaShapes.From(input.Schema));
        var score = Assert.Single(shape, c => c.Name == "Score");
        Assert.Equal(NumberDataViewType.Single, score.ItemType);
        Assert.Equal(SchemaShape.Column.VectorKind.Scalar, score.Kind);
        Assert.Contains(shape, c => c.Name == "UserId");
    }

    [Fact]
    public void WorksThroughAPredictionEngine()
    {
        var ml = new MLContext(seed: 1);
        var t = new FactorizationScoringTransformer(ml, Model(), Train);
        var engine = ml.Model.CreatePredictionEngine<InteractionRow, ScoredRow>(t);
        Assert.Equal(1.75f, engine.Predict(new InteractionRow { UserId = "ann", ItemId = "x" }).Score);
    }

    [Fact]
    public void ConstructorValidatesShapesAndNames()
    {
        var ml = new MLContext();
        Assert.Equal("trainingInteractions", Assert.Throws<ArgumentException>(() => new FactorizationScoringTransformer(ml, Model(), CsrMatrix.Empty(2, 2))).ParamName);
        Assert.Equal("fallbackScores", Assert.Throws<ArgumentException>(() => new FactorizationScoringTransformer(ml, Model(), Train, new float[3])).ParamName);
        Assert.Contains("must differ", Assert.Throws<ArgumentException>(() => new FactorizationScoringTransformer(ml, Model(), Train, null, "id", "id")).Message);
        Assert.Throws<ArgumentException>(() => new FactorizationScoringTransformer(ml, Model(), Train, null, " "));
    }

    [Fact]
    public void RecommendersCatalogHoldsTheContextAndRegistrationIsIdempotent()
    {
        var ml = new MLContext();
        Assert.Same(ml, ml.Recommenders().Trainers.Context);
        Assert.Same(ml, ml.Recommenders().Context);
        Assert.Same(ml, ml.RegisterDeskdropComponents().RegisterDeskdropComponents());
    }
}
