using DeskdropML.Trainers.Ease;

namespace DeskdropML.Tests.Ease;

public class SpdInverseTests
{
    /// <summary>A random SPD matrix M Mᵀ + n I (full storage, row-major).</summary>
    private static double[] RandomSpd(int n, int seed)
    {
        var rng = new Random(seed);
        var m = new double[n * n];
        for (int i = 0; i < m.Length; i++) m[i] = rng.NextDouble() * 2 - 1;
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double s = i == j ? n : 0;
                for (int k = 0; k < n; k++) s += m[i * n + k] * m[j * n + k];
                a[i * n + j] = s;
            }
        return a;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(64)]
    [InlineData(67)]
    [InlineData(261)]
    public void TheLowerTriangleBecomesTheInverse(int n)
    {
        var a = RandomSpd(n, seed: n);
        var work = (double[])a.Clone();
        SpdInverse.InvertLower(work, n, threads: 2);
        double P(int i, int j) => i >= j ? work[i * n + j] : work[j * n + i];
        double worst = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int k = 0; k < n; k++) s += a[i * n + k] * P(k, j);
                worst = Math.Max(worst, Math.Abs(s - (i == j ? 1 : 0)));
            }
        Assert.True(worst < 1e-10, $"max |A P - I| = {worst:E2}");
    }

    [Fact]
    public void MatchesGaussJordanAndIgnoresTheUpperTriangle()
    {
        const int n = 70;
        var a = RandomSpd(n, seed: 3);
        var dense = new double[n, n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) dense[i, j] = a[i * n + j];
        var expected = EaseTests.GaussJordanInverse(dense);
        var work = (double[])a.Clone();
        for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) work[i * n + j] = double.NaN; // never read
        SpdInverse.InvertLower(work, n, threads: 1);
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++)
                Assert.Equal(expected[i, j], work[i * n + j], 12);
    }

    [Fact]
    public void AMatrixThatIsNotPositiveDefiniteIsReported()
    {
        var a = new double[] { 1, 2, 2, 1 }; // eigenvalues 3 and -1
        var e = Assert.Throws<InvalidOperationException>(() => SpdInverse.InvertLower(a, 2, 1));
        Assert.Contains("row 1", e.Message);
    }
}
