using DeskdropML.Sparse;
using DeskdropML.Trainers.Als;

namespace DeskdropML.Tests.Als;

public class AlsValidationTests
{
    public static TheoryData<string, Action<AlsTrainer.Options>> BadOptions() => new()
    {
        { nameof(AlsTrainer.Options.NumberOfFactors), o => o.NumberOfFactors = 0 },
        { nameof(AlsTrainer.Options.Regularization), o => o.Regularization = -0.1f },
        { nameof(AlsTrainer.Options.Regularization), o => o.Regularization = float.NaN },
        { nameof(AlsTrainer.Options.Alpha), o => o.Alpha = 0f },
        { nameof(AlsTrainer.Options.Alpha), o => o.Alpha = float.PositiveInfinity },
        { nameof(AlsTrainer.Options.Confidence), o => o.Confidence = (AlsConfidence)7 },
        { nameof(AlsTrainer.Options.NumberOfIterations), o => o.NumberOfIterations = 0 },
        { nameof(AlsTrainer.Options.Solver), o => o.Solver = (AlsSolver)5 },
        { nameof(AlsTrainer.Options.ConjugateGradientSteps), o => o.ConjugateGradientSteps = 0 },
        { nameof(AlsTrainer.Options.Feedback), o => o.Feedback = (AlsFeedback)2 },
        { nameof(AlsTrainer.Options.Weighting), o => o.Weighting = (AlsWeighting)9 },
        { nameof(AlsTrainer.Options.Weighting), o => { o.Weighting = AlsWeighting.Bm25; o.Feedback = AlsFeedback.Explicit; } },
        { nameof(AlsTrainer.Options.Bm25K1), o => o.Bm25K1 = -1f },
        { nameof(AlsTrainer.Options.Bm25B), o => o.Bm25B = 1.5f },
        { nameof(AlsTrainer.Options.NumberOfThreads), o => o.NumberOfThreads = 0 },
        { nameof(AlsTrainer.Options.UserIdColumnName), o => o.UserIdColumnName = "" },
        { nameof(AlsTrainer.Options.ItemIdColumnName), o => o.ItemIdColumnName = " " },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void BadOptionsThrowNamingTheOption(string name, Action<AlsTrainer.Options> spoil)
    {
        var options = new AlsTrainer.Options();
        spoil(options);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new AlsTrainer(options));
        Assert.Equal(name, e.ParamName);
    }

    [Fact]
    public void DefaultsAreTheDocumentedOnes()
    {
        var o = new AlsTrainer.Options();
        Assert.Equal((64, 0.01f, 1f, 15, 3, 1, 42), (o.NumberOfFactors, o.Regularization, o.Alpha, o.NumberOfIterations, o.ConjugateGradientSteps, o.NumberOfThreads, o.Seed));
        Assert.Equal((AlsConfidence.OnePlusAlphaR, AlsSolver.ConjugateGradient, AlsFeedback.Implicit, AlsWeighting.None), (o.Confidence, o.Solver, o.Feedback, o.Weighting));
        Assert.Equal((100f, 0.8f), (o.Bm25K1, o.Bm25B));
        Assert.Equal(("UserId", "ItemId", (string?)"Label"), (o.UserIdColumnName, o.ItemIdColumnName, o.LabelColumnName));
    }

    [Fact]
    public void TrainerCopiesItsOptions()
    {
        var options = new AlsTrainer.Options { NumberOfFactors = 2, NumberOfIterations = 1 };
        var trainer = new AlsTrainer(options);
        options.NumberOfFactors = -5; // must not affect the trainer
        var m = CsrMatrix.FromTriplets(2, 2, new[] { 0, 1 }, new[] { 0, 1 }, new[] { 1f, 1f });
        Assert.Equal(2, trainer.Fit(m, AlsReference.Ids("u", 2), AlsReference.Ids("i", 2)).Dimension);
    }

    [Theory]
    [InlineData(-1f)]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void NegativeOrNonFiniteStrengthsThrow(float bad)
    {
        var m = CsrMatrix.FromTriplets(2, 2, new[] { 0, 1 }, new[] { 0, 1 }, new[] { 1f, bad });
        var e = Assert.Throws<ArgumentException>(() => new AlsTrainer().Fit(m, AlsReference.Ids("u", 2), AlsReference.Ids("i", 2)));
        Assert.Equal("interactions", e.ParamName);
    }

    [Fact]
    public void EmptyOrMismatchedMatricesThrow()
    {
        var trainer = new AlsTrainer();
        var empty = CsrMatrix.Empty(2, 2);
        Assert.Equal("interactions", Assert.Throws<ArgumentException>(() => trainer.Fit(empty, AlsReference.Ids("u", 2), AlsReference.Ids("i", 2))).ParamName);
        var m = CsrMatrix.FromTriplets(2, 2, new[] { 0 }, new[] { 0 }, new[] { 1f });
        Assert.Equal("interactions", Assert.Throws<ArgumentException>(() => trainer.Fit(m, AlsReference.Ids("u", 3), AlsReference.Ids("i", 2))).ParamName);
        Assert.Throws<ArgumentNullException>(() => trainer.Fit(null!, AlsReference.Ids("u", 2), AlsReference.Ids("i", 2)));
    }

    [Fact]
    public void RecalculateUserAndAccessorsValidateTheirArguments()
    {
        var m = CsrMatrix.FromTriplets(2, 3, new[] { 0, 1 }, new[] { 0, 1 }, new[] { 1f, 1f });
        var model = new AlsTrainer(new AlsTrainer.Options { NumberOfFactors = 2, NumberOfIterations = 1 })
            .Fit(m, AlsReference.Ids("u", 2), AlsReference.Ids("i", 3));
        var f = new float[2];
        Assert.Equal("weights", Assert.Throws<ArgumentException>(() => model.RecalculateUser(new[] { 0 }, new[] { 1f, 2f }, f)).ParamName);
        Assert.Equal("factors", Assert.Throws<ArgumentException>(() => model.RecalculateUser(new[] { 0 }, new[] { 1f }, new float[3])).ParamName);
        Assert.Equal("itemIndices", Assert.Throws<ArgumentOutOfRangeException>(() => model.RecalculateUser(new[] { 3 }, new[] { 1f }, f)).ParamName);
        Assert.Equal("itemIndices", Assert.Throws<ArgumentException>(() => model.RecalculateUser(new[] { 1, 1 }, new[] { 1f, 1f }, f)).ParamName);
        Assert.Equal("weights", Assert.Throws<ArgumentException>(() => model.RecalculateUser(new[] { 1 }, new[] { -1f }, f)).ParamName);
        Assert.Equal("userIndex", Assert.Throws<ArgumentOutOfRangeException>(() => model.ScoreItems(2, new float[3])).ParamName);
        Assert.Equal("scores", Assert.Throws<ArgumentException>(() => model.ScoreItems(0, new float[2])).ParamName);
        Assert.Equal("packed", Assert.Throws<ArgumentException>(() => model.GetPackedUserVector(0, new float[2])).ParamName);
        // A new user with no items folds in to zero factors.
        f[0] = 5f;
        model.RecalculateUser(ReadOnlySpan<int>.Empty, ReadOnlySpan<float>.Empty, f);
        Assert.Equal(new float[2], f);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void SingularExplicitSystemWithoutRegularizationFailsClearly(int threads)
    {
        // 300 users with one rating each and 8 factors: sum y y^T has rank 1, so without lambda the system is singular.
        int users = 300;
        var rows = Enumerable.Range(0, users).ToArray();
        var m = CsrMatrix.FromTriplets(users, 3, rows, rows.Select(u => u % 3).ToArray(), rows.Select(_ => 1f).ToArray());
        var trainer = new AlsTrainer(new AlsTrainer.Options
        {
            NumberOfFactors = 8, Regularization = 0f, Feedback = AlsFeedback.Explicit, Solver = AlsSolver.Cholesky, NumberOfThreads = threads,
        });
        var e = Assert.Throws<InvalidOperationException>(() => trainer.Fit(m, AlsReference.Ids("u", users), AlsReference.Ids("i", 3)));
        Assert.Contains("Regularization", e.Message);
    }
}
