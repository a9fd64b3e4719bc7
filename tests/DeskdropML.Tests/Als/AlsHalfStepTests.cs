using DeskdropML.Trainers.Als;

namespace DeskdropML.Tests.Als;

public class AlsHalfStepTests
{
    private const int K = 6;

    public static TheoryData<AlsFeedback, AlsConfidence, float> Losses() => new()
    {
        { AlsFeedback.Implicit, AlsConfidence.OnePlusAlphaR, 1f },
        { AlsFeedback.Implicit, AlsConfidence.OnePlusAlphaR, 7.5f },
        { AlsFeedback.Implicit, AlsConfidence.AlphaR, 1f },   // alpha r < 1 on some entries: negative C - I diagonal
        { AlsFeedback.Implicit, AlsConfidence.AlphaR, 4f },
        { AlsFeedback.Explicit, AlsConfidence.OnePlusAlphaR, 1f },
    };

    private static AlsSolveSettings Settings(AlsFeedback feedback, AlsConfidence confidence, float alpha, AlsSolver solver, int steps = 3, float lambda = 0.3f) =>
        new(K, lambda, alpha, confidence, feedback, solver, steps);

    [Theory]
    [MemberData(nameof(Losses))]
    public void UserAndItemHalfStepsMatchDenseNormalEquations(AlsFeedback feedback, AlsConfidence confidence, float alpha)
    {
        var m = AlsReference.RandomMatrix(seed: 3, rows: 17, columns: 13, density: 0.3, storeSomeZeros: true);
        var itemFactors = AlsReference.RandomFactors(5, m.Columns, K);
        var userFactors = AlsReference.RandomFactors(6, m.Rows, K);
        foreach (var solver in new[] { AlsSolver.Cholesky, AlsSolver.ConjugateGradient })
        {
            // CG with more steps than dimensions is exact up to rounding.
            var settings = Settings(feedback, confidence, alpha, solver, steps: 4 * K);

            var users = AlsReference.RandomFactors(7, m.Rows, K); // warm start
            AlsHalfStep.Run(m, itemFactors, users, settings, threads: 1);
            var expectedUsers = AlsReference.SolveAllRows(m, itemFactors, K, feedback, confidence, alpha, 0.3, transposed: false);
            Assert.True(AlsReference.MaxRelativeError(users, expectedUsers) < 1e-4, $"{solver} user half-step off by {AlsReference.MaxRelativeError(users, expectedUsers)}");

            var items = AlsReference.RandomFactors(8, m.Columns, K);
            AlsHalfStep.Run(m.Transpose(), userFactors, items, settings, threads: 1);
            var expectedItems = AlsReference.SolveAllRows(m, userFactors, K, feedback, confidence, alpha, 0.3, transposed: true);
            Assert.True(AlsReference.MaxRelativeError(items, expectedItems) < 1e-4, $"{solver} item half-step off by {AlsReference.MaxRelativeError(items, expectedItems)}");

            // The empty user row and the empty item column get zero vectors.
            Assert.All(users.AsSpan(1 * K, K).ToArray(), v => Assert.Equal(0f, v));
            Assert.All(items.AsSpan((m.Columns - 1) * K, K).ToArray(), v => Assert.Equal(0f, v));
        }
    }

    [Theory]
    [MemberData(nameof(Losses))]
    public void ObjectiveMatchesDenseDefinition(AlsFeedback feedback, AlsConfidence confidence, float alpha)
    {
        var m = AlsReference.RandomMatrix(seed: 11, rows: 9, columns: 12, density: 0.35, storeSomeZeros: true);
        var x = AlsReference.RandomFactors(1, m.Rows, K);
        var y = AlsReference.RandomFactors(2, m.Columns, K);
        double actual = AlsObjective.Compute(m, x, y, Settings(feedback, confidence, alpha, AlsSolver.Cholesky));
        double expected = AlsReference.Objective(m, x, y, K, feedback, confidence, alpha, 0.3);
        Assert.Equal(expected, actual, 1e-5 * (1 + Math.Abs(expected)));
    }

    [Theory]
    [InlineData(AlsConfidence.OnePlusAlphaR)]
    [InlineData(AlsConfidence.AlphaR)]
    public void ConjugateGradientConvergesToCholeskyAsStepsGrow(AlsConfidence confidence)
    {
        const int k = 12;
        var m = AlsReference.RandomMatrix(seed: 21, rows: 40, columns: 60, density: 0.25);
        var itemFactors = AlsReference.RandomFactors(22, m.Columns, k);
        var exact = AlsReference.RandomFactors(23, m.Rows, k);
        AlsHalfStep.Run(m, itemFactors, exact, new AlsSolveSettings(k, 0.05f, 2f, confidence, AlsFeedback.Implicit, AlsSolver.Cholesky, 1), 1);

        var errors = new List<double>();
        foreach (int steps in new[] { 1, 2, 3, 5, 8, 12, 20 })
        {
            var cg = AlsReference.RandomFactors(23, m.Rows, k); // same warm start every time
            AlsHalfStep.Run(m, itemFactors, cg, new AlsSolveSettings(k, 0.05f, 2f, confidence, AlsFeedback.Implicit, AlsSolver.ConjugateGradient, steps), 1);
            double sq = 0;
            for (int i = 0; i < cg.Length; i++) sq += (double)(cg[i] - exact[i]) * (cg[i] - exact[i]);
            errors.Add(Math.Sqrt(sq));
        }
        // CG's Euclidean error decreases monotonically (exact arithmetic); allow float rounding at the tail.
        for (int s = 1; s < errors.Count; s++)
            Assert.True(errors[s] <= errors[s - 1] * 1.0001 + 1e-5, $"error went up: {string.Join(", ", errors)}");
        Assert.True(errors[0] > 100 * errors[^1], $"no real convergence: {string.Join(", ", errors)}");
        Assert.True(errors[^1] < 1e-3, $"20 steps still far from Cholesky: {string.Join(", ", errors)}");
    }

    [Fact]
    public void GramMatrixIsTheSameForAnyThreadCountAndMatchesNaiveSum()
    {
        const int k = 5;
        int count = 5000; // several fixed-size chunks
        var f = AlsReference.RandomFactors(9, count, k);
        var g1 = AlsHalfStep.Gram(f, count, k, 1);
        var g2 = AlsHalfStep.Gram(f, count, k, 2);
        Assert.Equal(g1, g2);
        for (int a = 0; a < k; a++)
            for (int b = 0; b < k; b++)
            {
                double s = 0;
                for (int i = 0; i < count; i++) s += (double)f[i * k + a] * f[i * k + b];
                Assert.Equal(s, g1[a * k + b], 1e-3 * (1 + Math.Abs(s)));
            }
    }

    /// <summary>
    /// 64 factors take the register-tiled Cholesky kernels and the fused conjugate-gradient pass (on processors with
    /// 512-bit vectors): both still solve the dense normal equations.
    /// </summary>
    [Theory]
    [InlineData(AlsSolver.Cholesky, AlsConfidence.OnePlusAlphaR)]
    [InlineData(AlsSolver.Cholesky, AlsConfidence.AlphaR)]
    [InlineData(AlsSolver.ConjugateGradient, AlsConfidence.OnePlusAlphaR)]
    public void SixtyFourFactorHalfStepsMatchDenseNormalEquations(AlsSolver solver, AlsConfidence confidence)
    {
        const int k = 64;
        var m = AlsReference.RandomMatrix(seed: 31, rows: 40, columns: 90, density: 0.4, storeSomeZeros: true);
        var itemFactors = AlsReference.RandomFactors(32, m.Columns, k, scale: 0.3);
        var users = AlsReference.RandomFactors(33, m.Rows, k);
        var settings = new AlsSolveSettings(k, 0.3f, 2f, confidence, AlsFeedback.Implicit, solver, 4 * k);
        AlsHalfStep.Run(m, itemFactors, users, settings, threads: 2);
        var expected = AlsReference.SolveAllRows(m, itemFactors, k, AlsFeedback.Implicit, confidence, 2f, 0.3, transposed: false);
        double error = AlsReference.MaxRelativeError(users, expected);
        Assert.True(error < 2e-4, $"{solver} off by {error}");
    }
}
