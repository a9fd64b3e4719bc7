using DeskdropML.Sparse;
using DeskdropML.Trainers.Als;

namespace DeskdropML.Tests.Als;

public class AlsTrainerTests
{
    private sealed class Collect : IProgress<AlsIterationInfo>
    {
        public List<AlsIterationInfo> Items { get; } = new();
        public void Report(AlsIterationInfo value) => Items.Add(value);
    }

    private static AlsModelParameters Fit(CsrMatrix m, AlsTrainer.Options options, IProgress<AlsIterationInfo>? progress = null) =>
        new AlsTrainer(options).Fit(m, AlsReference.Ids("u", m.Rows), AlsReference.Ids("i", m.Columns), progress);

    [Theory]
    [InlineData(AlsFeedback.Implicit, AlsConfidence.OnePlusAlphaR)]
    [InlineData(AlsFeedback.Implicit, AlsConfidence.AlphaR)]
    [InlineData(AlsFeedback.Explicit, AlsConfidence.OnePlusAlphaR)]
    public void CholeskyObjectiveNeverIncreases(AlsFeedback feedback, AlsConfidence confidence)
    {
        var m = AlsReference.RandomMatrix(seed: 31, rows: 60, columns: 45, density: 0.15);
        var progress = new Collect();
        var model = Fit(m, new AlsTrainer.Options
        {
            NumberOfFactors = 8, Solver = AlsSolver.Cholesky, Feedback = feedback, Confidence = confidence,
            Alpha = 2f, Regularization = 0.05f, NumberOfIterations = 12,
        }, progress);
        Assert.Equal(Enumerable.Range(1, 12), progress.Items.Select(p => p.Iteration));
        var objectives = progress.Items.Select(p => p.Objective).ToArray();
        for (int t = 1; t < objectives.Length; t++)
            Assert.True(objectives[t] <= objectives[t - 1] * (1 + 1e-6), $"objective rose at iteration {t + 1}: {string.Join(", ", objectives)}");
        Assert.True(objectives[^1] < objectives[0]);
        // The reported objective is the model's objective (and that one is checked against the dense definition elsewhere).
        Assert.Equal(objectives[^1], model.Objective(m), 1e-9 * objectives[^1]);
    }

    [Fact]
    public void ExplicitSquaredErrorOnObservedEntriesDecreasesMonotonically()
    {
        var m = AlsReference.RandomMatrix(seed: 41, rows: 50, columns: 40, density: 0.3);
        double previous = double.PositiveInfinity;
        for (int iterations = 1; iterations <= 10; iterations++)
        {
            var model = Fit(m, new AlsTrainer.Options
            {
                NumberOfFactors = 5, Solver = AlsSolver.Cholesky, Feedback = AlsFeedback.Explicit,
                Regularization = 0.001f, NumberOfIterations = iterations,
            });
            double sse = AlsObjective.SquaredErrorOnStored(m, model.UserFactors.ToArray(), model.ItemFactors.ToArray(), 5);
            Assert.True(sse <= previous * (1 + 1e-6), $"squared error rose at iteration {iterations}: {sse} > {previous}");
            previous = sse;
        }
        // A rank-5 fit of a 50 x 40 matrix with ~600 observed entries explains most of it.
        double total = 0;
        foreach (float v in m.Values) total += v * v;
        Assert.True(previous < 0.5 * total, $"explicit ALS barely fits: {previous} of {total}");
    }

    [Theory]
    [InlineData(AlsSolver.Cholesky, AlsFeedback.Implicit)]
    [InlineData(AlsSolver.Cholesky, AlsFeedback.Explicit)]
    [InlineData(AlsSolver.ConjugateGradient, AlsFeedback.Implicit)]
    public void FinalItemFactorsSolveTheirNormalEquationsAgainstFinalUserFactors(AlsSolver solver, AlsFeedback feedback)
    {
        var m = AlsReference.RandomMatrix(seed: 51, rows: 30, columns: 25, density: 0.2);
        var model = Fit(m, new AlsTrainer.Options
        {
            NumberOfFactors = 4, Solver = solver, ConjugateGradientSteps = 20, Feedback = feedback,
            Regularization = 0.1f, Alpha = 3f, NumberOfIterations = 3,
        });
        var expected = AlsReference.SolveAllRows(m, model.UserFactors.ToArray(), 4, feedback, AlsConfidence.OnePlusAlphaR, 3, 0.1, transposed: true);
        Assert.True(AlsReference.MaxRelativeError(model.ItemFactors, expected) < 1e-4);
    }

    [Theory]
    [InlineData(AlsSolver.ConjugateGradient)]
    [InlineData(AlsSolver.Cholesky)]
    public void SeededRunsAreBitIdenticalAndSeedsMatter(AlsSolver solver)
    {
        var m = AlsReference.RandomMatrix(seed: 61, rows: 40, columns: 30, density: 0.2);
        var options = new AlsTrainer.Options { NumberOfFactors = 8, Solver = solver, NumberOfIterations = 4, Seed = 7 };
        var a = Fit(m, options);
        var b = Fit(m, options);
        Assert.Equal(a.UserFactors.ToArray(), b.UserFactors.ToArray());
        Assert.Equal(a.ItemFactors.ToArray(), b.ItemFactors.ToArray());
        if (solver == AlsSolver.ConjugateGradient)
        {
            // The warm start makes CG depend on the seed (Cholesky does not: only the initial items matter, and those are solved anyway).
            options.Seed = 8;
            var c = Fit(m, options);
            Assert.NotEqual(a.ItemFactors.ToArray(), c.ItemFactors.ToArray());
        }
    }

    [Theory]
    [InlineData(AlsSolver.ConjugateGradient, AlsWeighting.None)]
    [InlineData(AlsSolver.Cholesky, AlsWeighting.Bm25)]
    public void OneAndTwoThreadsGiveIdenticalFactors(AlsSolver solver, AlsWeighting weighting)
    {
        // More rows than one parallel chunk (128) and more items than one Gram chunk (2048).
        var m = AlsReference.RandomMatrix(seed: 71, rows: 700, columns: 2500, density: 0.01);
        var options = new AlsTrainer.Options { NumberOfFactors = 16, Solver = solver, NumberOfIterations = 3, Weighting = weighting, NumberOfThreads = 1 };
        var one = Fit(m, options);
        options.NumberOfThreads = 2;
        var two = Fit(m, options);
        Assert.Equal(one.UserFactors.ToArray(), two.UserFactors.ToArray());
        Assert.Equal(one.ItemFactors.ToArray(), two.ItemFactors.ToArray());
    }

    [Theory]
    [InlineData(AlsSolver.Cholesky, AlsConfidence.OnePlusAlphaR, AlsWeighting.None)]
    [InlineData(AlsSolver.Cholesky, AlsConfidence.AlphaR, AlsWeighting.Bm25)]
    [InlineData(AlsSolver.ConjugateGradient, AlsConfidence.OnePlusAlphaR, AlsWeighting.TfIdf)]
    public void RecalculateUserReproducesTrainedFactorsAfterConvergence(AlsSolver solver, AlsConfidence confidence, AlsWeighting weighting)
    {
        var m = AlsReference.RandomMatrix(seed: 81, rows: 50, columns: 40, density: 0.2);
        var model = Fit(m, new AlsTrainer.Options
        {
            NumberOfFactors = 6, Solver = solver, Confidence = confidence, Weighting = weighting,
            Alpha = 2f, Regularization = 0.1f, NumberOfIterations = 400,
        });
        var factors = new float[6];
        double worst = 0;
        for (int u = 0; u < m.Rows; u++)
        {
            // Cholesky ignores the start; CG starts from zero here, a genuine fold-in of a "new" user.
            Array.Clear(factors);
            if (solver == AlsSolver.ConjugateGradient)
                for (int pass = 0; pass < 10; pass++) model.RecalculateUser(m.RowIndices(u), m.RowValues(u), factors);
            else
                model.RecalculateUser(m.RowIndices(u), m.RowValues(u), factors);
            var trained = model.GetUserFactors(u);
            for (int d = 0; d < 6; d++) worst = Math.Max(worst, Math.Abs(factors[d] - trained[d]) / (1 + Math.Abs(trained[d])));
        }
        Assert.True(worst < 2e-3, $"fold-in differs from the trained factors by {worst}");
        Assert.False(model.HasTrainingInteractions(1));
        Assert.True(model.HasTrainingInteractions(0));
        Assert.All(model.GetUserFactors(1).ToArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void PackedVectorsReproduceScores()
    {
        var m = AlsReference.RandomMatrix(seed: 91, rows: 12, columns: 9, density: 0.3);
        var model = Fit(m, new AlsTrainer.Options { NumberOfFactors = 3, NumberOfIterations = 2 });
        var scores = new float[m.Columns];
        var pu = new float[5];
        var pi = new float[5];
        for (int u = 0; u < m.Rows; u++)
        {
            model.ScoreItems(u, scores);
            model.GetPackedUserVector(u, pu);
            for (int i = 0; i < m.Columns; i++)
            {
                model.GetPackedItemVector(i, pi);
                float dot = 0;
                for (int d = 0; d < 5; d++) dot += pu[d] * pi[d];
                Assert.Equal(scores[i], dot, 1e-6f);
            }
        }
    }

    [Fact]
    public void CreateRoundTripsTheRawArrays()
    {
        var m = AlsReference.RandomMatrix(seed: 93, rows: 12, columns: 9, density: 0.3);
        var options = new AlsTrainer.Options { NumberOfFactors = 3, NumberOfIterations = 2, Weighting = AlsWeighting.Bm25 };
        var model = Fit(m, options);
        var copy = AlsModelParameters.Create(model.Users, model.Items, model.UserFactors, model.ItemFactors,
            model.UserHasTrainingInteractions, model.TrainingOptions, model.ItemLengthNorms);
        var a = new float[3];
        var b = new float[3];
        model.RecalculateUser(m.RowIndices(0), m.RowValues(0), a);
        copy.RecalculateUser(m.RowIndices(0), m.RowValues(0), b);
        Assert.Equal(a, b);
        Assert.Equal(model.ItemFactors.ToArray(), copy.ItemFactors.ToArray());
        Assert.Throws<ArgumentException>("itemLengthNorms", () => AlsModelParameters.Create(model.Users, model.Items, model.UserFactors,
            model.ItemFactors, model.UserHasTrainingInteractions, model.TrainingOptions));
    }
}
