using DeskdropML.Recommending;
using DeskdropML.Sparse;
using DeskdropML.Tests.Neighbors;
using DeskdropML.Trainers.Popularity;
using DeskdropML.Trainers.Svd;

namespace DeskdropML.Tests.Svd;

public class PureSvdTests
{
    private static PureSvdModel Fit(float[,] x, int k, int seed = 1, int threads = 1, int powerIterations = 7) =>
        new PureSvdTrainer(new PureSvdTrainer.Options { NumberOfFactors = k, Seed = seed, NumberOfThreads = threads, PowerIterations = powerIterations })
            .Fit(ItemKnnTests.Dense(x), ItemKnnTests.Ids("u", x.GetLength(0)), ItemKnnTests.Ids("i", x.GetLength(1)));

    private static float[,] RandomMatrix(int users, int items, int seed, double density)
    {
        var rng = new Random(seed);
        var x = new float[users, items];
        for (int u = 0; u < users; u++)
            for (int i = 0; i < items; i++)
                if (rng.NextDouble() < density) x[u, i] = (float)(1 + 3 * rng.NextDouble());
        return x;
    }

    private static void AssertScores(PureSvdModel model, Func<int, int, double> expected, double tolerance)
    {
        var scores = new float[model.Items.Count];
        for (int u = 0; u < model.Users.Count; u++)
        {
            model.ScoreItems(u, scores);
            for (int i = 0; i < scores.Length; i++)
                Assert.True(Math.Abs(expected(u, i) - scores[i]) <= tolerance, $"score({u}, {i}) = {scores[i]}, expected {expected(u, i)}");
        }
    }

    [Theory]
    [InlineData(9, 5, 0)]
    [InlineData(9, 5, 7)]
    [InlineData(30, 12, 2)]
    public void FullRankReconstructsTheMatrix(int users, int items, int powerIterations)
    {
        var x = RandomMatrix(users, items, seed: users + items, density: 0.6);
        var model = Fit(x, k: items, powerIterations: powerIterations);
        AssertScores(model, (u, i) => x[u, i], 1e-4);
    }

    [Fact]
    public void AKnownRankTwoMatrixHasItsSingularValuesAndBestRankOneApproximation()
    {
        // X = 3 a bᵀ + 1 c dᵀ with orthonormal a ⊥ c (users) and b ⊥ d (items), all entries >= 0 (disjoint supports):
        // singular values 3 and 1; the best rank-1 approximation is 3 a bᵀ.
        double[] a = { 1 / Math.Sqrt(2), 1 / Math.Sqrt(2), 0, 0 }, c = { 0, 0, 1 / Math.Sqrt(2), 1 / Math.Sqrt(2) };
        double[] b = { 1 / Math.Sqrt(3), 1 / Math.Sqrt(3), 1 / Math.Sqrt(3), 0, 0 }, d = { 0, 0, 0, 1 / Math.Sqrt(2), 1 / Math.Sqrt(2) };
        var x = new float[4, 5];
        for (int u = 0; u < 4; u++) for (int i = 0; i < 5; i++) x[u, i] = (float)(3 * a[u] * b[i] + c[u] * d[i]);

        var two = Fit(x, k: 2);
        Assert.Equal(3, two.SingularValues[0], 5);
        Assert.Equal(1, two.SingularValues[1], 5);
        AssertScores(two, (u, i) => x[u, i], 1e-5);

        var one = Fit(x, k: 1);
        Assert.Equal(3, one.SingularValues[0], 5);
        AssertScores(one, (u, i) => 3 * a[u] * b[i], 1e-5);
    }

    [Fact]
    public void TopSingularValuesMatchTheEigenvaluesOfTheGramMatrix()
    {
        // Independent reference: σ² are the eigenvalues of XᵀX, found here by cyclic Jacobi eigenvalue rotations.
        var x = RandomMatrix(60, 25, seed: 8, density: 0.3);
        int n = 25;
        var g = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                for (int u = 0; u < 60; u++) g[i, j] += (double)x[u, i] * x[u, j];
        for (int sweep = 0; sweep < 50; sweep++)
            for (int p = 0; p < n - 1; p++)
                for (int q = p + 1; q < n; q++)
                {
                    if (Math.Abs(g[p, q]) < 1e-300) continue;
                    double theta = 0.5 * Math.Atan2(2 * g[p, q], g[q, q] - g[p, p]);
                    double cs = Math.Cos(theta), sn = Math.Sin(theta);
                    for (int k = 0; k < n; k++)
                    {
                        double gkp = g[k, p], gkq = g[k, q];
                        g[k, p] = cs * gkp - sn * gkq; g[k, q] = sn * gkp + cs * gkq;
                    }
                    for (int k = 0; k < n; k++)
                    {
                        double gpk = g[p, k], gqk = g[q, k];
                        g[p, k] = cs * gpk - sn * gqk; g[q, k] = sn * gpk + cs * gqk;
                    }
                }
        var expected = Enumerable.Range(0, n).Select(i => Math.Sqrt(Math.Max(0, g[i, i]))).OrderByDescending(v => v).ToArray();
        // A random matrix has a flat spectrum, the hard case for a randomized SVD: the default 7 power iterations get
        // the top 5 to about 1e-6, many iterations to working precision.
        foreach (var (iterations, tolerance) in new[] { (7, 1e-5), (40, 1e-10) })
        {
            var model = Fit(x, k: 5, powerIterations: iterations);
            for (int c = 0; c < 5; c++)
                Assert.True(Math.Abs(expected[c] - model.SingularValues[c]) <= tolerance * expected[c], $"q = {iterations}, σ{c}: {model.SingularValues[c]} vs {expected[c]}");
        }
    }

    [Fact]
    public void FoldInOfATrainingRowGivesItsFactors()
    {
        var x = RandomMatrix(20, 10, seed: 6, density: 0.4);
        var model = Fit(x, k: 4);
        var train = ItemKnnTests.Dense(x);
        var factors = new float[4];
        for (int u = 0; u < 20; u++)
        {
            model.FoldIn(train.RowIndices(u), train.RowValues(u), factors);
            Assert.Equal(model.UserFactors.Slice(u * 4, 4).ToArray(), factors);
        }
    }

    [Fact]
    public void SameSeedIsBitIdenticalAndThreadsDoNotMatter()
    {
        var x = RandomMatrix(80, 40, seed: 12, density: 0.2);
        var a = Fit(x, k: 6, seed: 5, threads: 1);
        var b = Fit(x, k: 6, seed: 5, threads: 3);
        Assert.Equal(a.ItemFactors.ToArray(), b.ItemFactors.ToArray());
        Assert.Equal(a.UserFactors.ToArray(), b.UserFactors.ToArray());
        Assert.NotEqual(a.ItemFactors.ToArray(), Fit(x, k: 6, seed: 6).ItemFactors.ToArray());
        // ... but once converged the decomposition, hence the scores, no longer depend on the seed.
        var s1 = new float[40];
        var s2 = new float[40];
        Fit(x, k: 6, seed: 5, powerIterations: 60).ScoreItems(3, s1);
        Fit(x, k: 6, seed: 6, powerIterations: 60).ScoreItems(3, s2);
        for (int i = 0; i < 40; i++) Assert.Equal(s1[i], s2[i], 4);
    }

    [Fact]
    public void RankDeficientMatricesDropTheMissingFactors()
    {
        // Two identical columns and a zero column: rank 2 of 4 items; k = 4 keeps two non-zero singular values.
        var x = new float[,] { { 1, 1, 0, 2 }, { 2, 2, 0, 1 }, { 1, 1, 0, 1 } };
        var model = Fit(x, k: 3);
        Assert.True(model.SingularValues[1] > 0);
        Assert.Equal(0, model.SingularValues[2]);
        AssertScores(model, (u, i) => x[u, i], 1e-4);
    }

    [Fact]
    public void SimilarItemsUseTheScaledItemFactors()
    {
        var x = new float[,] { { 1, 1, 0, 0 }, { 1, 1, 0, 0 }, { 0, 0, 1, 1 }, { 0, 1, 0, 1 } };
        var model = Fit(x, k: 3);
        var train = ItemKnnTests.Dense(x);
        var similar = new Recommender(model, train, PopularityModel.Fit(train, model.Users, model.Items)).SimilarItems("i0", 3);
        Assert.Equal("i1", similar[0].ItemId);
    }

    [Fact]
    public void TooManyFactorsAndBadOptionsAreRejected()
    {
        var x = RandomMatrix(4, 6, seed: 1, density: 0.9);
        Assert.Contains("at most 4", Assert.Throws<ArgumentException>(() => Fit(x, k: 5)).Message);
        Assert.Equal("NumberOfFactors", Assert.Throws<ArgumentOutOfRangeException>(() => new PureSvdTrainer(new PureSvdTrainer.Options { NumberOfFactors = 0 })).ParamName);
        Assert.Equal("Oversampling", Assert.Throws<ArgumentOutOfRangeException>(() => new PureSvdTrainer(new PureSvdTrainer.Options { Oversampling = -1 })).ParamName);
        Assert.Equal("PowerIterations", Assert.Throws<ArgumentOutOfRangeException>(() => new PureSvdTrainer(new PureSvdTrainer.Options { PowerIterations = -1 })).ParamName);
        Assert.Equal("NumberOfThreads", Assert.Throws<ArgumentOutOfRangeException>(() => new PureSvdTrainer(new PureSvdTrainer.Options { NumberOfThreads = 0 })).ParamName);
        var o = new PureSvdTrainer.Options();
        Assert.Equal((15, 10, 7, 42, 1), (o.NumberOfFactors, o.Oversampling, o.PowerIterations, o.Seed, o.NumberOfThreads));
    }
}
