using DeskdropML.Sparse;
using DeskdropML.Trainers.Warp;

namespace DeskdropML.Tests.Warp;

public class WarpValidationTests
{
    public static TheoryData<string, Action<WarpTrainer.Options>> InvalidOptions => new()
    {
        { "NumberOfComponents", o => o.NumberOfComponents = 0 },
        { "LearningRate", o => o.LearningRate = 0f },
        { "LearningRate", o => o.LearningRate = float.NaN },
        { "Rho", o => o.Rho = 1f },
        { "Rho", o => o.Rho = 0f },
        { "Epsilon", o => o.Epsilon = 0f },
        { "UserAlpha", o => o.UserAlpha = -0.1f },
        { "ItemAlpha", o => o.ItemAlpha = float.PositiveInfinity },
        { "MaxSampled", o => o.MaxSampled = 0 },
        { "K", o => o.K = 0 },
        { "N", o => { o.K = 6; o.N = 5; } },
        { "NumberOfEpochs", o => o.NumberOfEpochs = 0 },
        { "NumberOfThreads", o => o.NumberOfThreads = 0 },
        { "Loss", o => o.Loss = (WarpLoss)42 },
        { "LearningSchedule", o => o.LearningSchedule = (WarpLearningSchedule)7 },
        { "NegativeSampling", o => o.NegativeSampling = (WarpNegativeSampling)9 },
        { "UserIdColumnName", o => o.UserIdColumnName = "" },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void InvalidOptionIsRejectedNamingTheOption(string name, Action<WarpTrainer.Options> corrupt)
    {
        var options = new WarpTrainer.Options();
        corrupt(options);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new WarpTrainer(options));
        Assert.Equal(name, ex.ParamName);
        Assert.Contains(name, ex.Message);
    }

    [Fact]
    public void DefaultsMatchTheDocumentedValues()
    {
        var o = new WarpTrainer.Options();
        Assert.Equal((10, WarpLoss.Warp, WarpLearningSchedule.Adagrad, 0.05f, 0.95f, 1e-6f), (o.NumberOfComponents, o.Loss, o.LearningSchedule, o.LearningRate, o.Rho, o.Epsilon));
        Assert.Equal((0f, 0f, 10, 5, 10, 30, 1, 42), (o.UserAlpha, o.ItemAlpha, o.MaxSampled, o.K, o.N, o.NumberOfEpochs, o.NumberOfThreads, o.Seed));
        Assert.Equal((true, true, "UserId", "ItemId", (string?)"Label"), (o.UseUserIdentityFeatures, o.UseItemIdentityFeatures, o.UserIdColumnName, o.ItemIdColumnName, o.LabelColumnName));
        Assert.Equal(WarpNegativeSampling.AllItems, o.NegativeSampling);
        _ = new WarpTrainer(o); // valid
    }

    private static IdMap Ids(string prefix, int n) => new(Enumerable.Range(0, n).Select(i => prefix + i));

    private static CsrMatrix Matrix(int rows, int cols, params (int R, int C, float V)[] entries) =>
        CsrMatrix.FromTriplets(rows, cols, entries.Select(e => e.R).ToArray(), entries.Select(e => e.C).ToArray(), entries.Select(e => e.V).ToArray());

    [Fact]
    public void BadInteractionsAreRejectedNamingTheArgument()
    {
        var trainer = new WarpTrainer(new WarpTrainer.Options { NumberOfEpochs = 1 });
        var users = Ids("u", 2);
        var items = Ids("i", 3);
        var empty = CsrMatrix.Empty(2, 3);
        Assert.Equal("interactions", Assert.Throws<ArgumentException>(() => trainer.Fit(empty, users, items)).ParamName);
        var wrongShape = Matrix(3, 3, (0, 0, 1f));
        Assert.Equal("interactions", Assert.Throws<ArgumentException>(() => trainer.Fit(wrongShape, users, items)).ParamName);
        var nan = Matrix(2, 3, (0, 0, float.NaN));
        Assert.Equal("interactions", Assert.Throws<ArgumentException>(() => trainer.Fit(nan, users, items)).ParamName);
        var negative = Matrix(2, 3, (0, 0, -1f));
        var ex = Assert.Throws<ArgumentException>(() => trainer.Fit(negative, users, items));
        Assert.Equal("interactions", ex.ParamName);
        Assert.Contains("Logistic", ex.Message);
        // Negative values are explicit negatives for the logistic loss.
        var logistic = new WarpTrainer(new WarpTrainer.Options { NumberOfEpochs = 1, Loss = WarpLoss.Logistic });
        Assert.NotNull(logistic.Fit(Matrix(2, 3, (0, 0, -1f), (1, 1, 1f)), users, items));
    }

    [Fact]
    public void BadFeatureMatricesAreRejectedNamingTheArgument()
    {
        var users = Ids("u", 2);
        var items = Ids("i", 3);
        var x = Matrix(2, 3, (0, 0, 1f), (1, 2, 1f));
        var trainer = new WarpTrainer(new WarpTrainer.Options { NumberOfEpochs = 1 });
        Assert.Equal("itemFeatures", Assert.Throws<ArgumentException>(() => trainer.Fit(x, users, items, itemFeatures: Matrix(2, 4, (0, 0, 1f)))).ParamName);
        Assert.Equal("userFeatures", Assert.Throws<ArgumentException>(() => trainer.Fit(x, users, items, userFeatures: Matrix(3, 4, (0, 0, 1f)))).ParamName);
        Assert.Equal("itemFeatures", Assert.Throws<ArgumentException>(() => trainer.Fit(x, users, items, itemFeatures: Matrix(3, 2, (0, 0, float.PositiveInfinity)))).ParamName);

        var noItemIdentity = new WarpTrainer(new WarpTrainer.Options { NumberOfEpochs = 1, UseItemIdentityFeatures = false });
        Assert.Equal("itemFeatures", Assert.Throws<ArgumentException>(() => noItemIdentity.Fit(x, users, items)).ParamName);
        var noUserIdentity = new WarpTrainer(new WarpTrainer.Options { NumberOfEpochs = 1, UseUserIdentityFeatures = false });
        Assert.Equal("userFeatures", Assert.Throws<ArgumentException>(() => noUserIdentity.Fit(x, users, items)).ParamName);
    }

    [Fact]
    public void FitPartialRejectsAnIncompatibleTrainerOrShape()
    {
        var users = Ids("u", 2);
        var items = Ids("i", 3);
        var x = Matrix(2, 3, (0, 0, 1f), (1, 2, 1f));
        var model = new WarpTrainer(new WarpTrainer.Options { NumberOfEpochs = 1 }).Fit(x, users, items);
        var other = new WarpTrainer(new WarpTrainer.Options { NumberOfComponents = 4 });
        Assert.Equal("model", Assert.Throws<ArgumentException>(() => other.FitPartial(model, x, 1)).ParamName);
        var adadelta = new WarpTrainer(new WarpTrainer.Options { LearningSchedule = WarpLearningSchedule.Adadelta });
        Assert.Equal("model", Assert.Throws<ArgumentException>(() => adadelta.FitPartial(model, x, 1)).ParamName);
        var same = new WarpTrainer(new WarpTrainer.Options());
        Assert.Equal("interactions", Assert.Throws<ArgumentException>(() => same.FitPartial(model, Matrix(2, 4, (0, 0, 1f)), 1)).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => same.FitPartial(model, x, 0));
    }

    [Fact]
    public void DivergenceIsReportedWithAHintToLowerTheLearningRate()
    {
        // Weights of 1e30 make the logistic gradients overflow float within a few steps.
        var users = Ids("u", 3);
        var items = Ids("i", 4);
        var x = Matrix(3, 4, (0, 0, 1e30f), (0, 1, -1e30f), (1, 2, -1e30f), (1, 1, 1e30f), (2, 3, -1e30f), (2, 0, 1e30f));
        var trainer = new WarpTrainer(new WarpTrainer.Options { Loss = WarpLoss.Logistic, NumberOfEpochs = 5 });
        var ex = Assert.Throws<InvalidOperationException>(() => trainer.Fit(x, users, items));
        Assert.Contains("LearningRate", ex.Message);
    }
}
