using DeskdropML.Recommending;
using DeskdropML.Sparse;
using DeskdropML.Tests.Neighbors;
using DeskdropML.Trainers.Ease;
using DeskdropML.Trainers.Popularity;

namespace DeskdropML.Tests.Ease;

public class EaseTests
{
    /// <summary>Inverse by Gauss-Jordan elimination with partial pivoting (an algorithm unrelated to the library's Cholesky).</summary>
    internal static double[,] GaussJordanInverse(double[,] a)
    {
        int n = a.GetLength(0);
        var m = new double[n, 2 * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++) m[i, j] = a[i, j];
            m[i, n + i] = 1;
        }
        for (int c = 0; c < n; c++)
        {
            int pivot = c;
            for (int r = c + 1; r < n; r++) if (Math.Abs(m[r, c]) > Math.Abs(m[pivot, c])) pivot = r;
            for (int j = 0; j < 2 * n; j++) (m[c, j], m[pivot, j]) = (m[pivot, j], m[c, j]);
            double d = m[c, c];
            for (int j = 0; j < 2 * n; j++) m[c, j] /= d;
            for (int r = 0; r < n; r++)
            {
                if (r == c || m[r, c] == 0) continue;
                double f = m[r, c];
                for (int j = 0; j < 2 * n; j++) m[r, j] -= f * m[c, j];
            }
        }
        var inverse = new double[n, n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) inverse[i, j] = m[i, n + j];
        return inverse;
    }

    /// <summary>G + λI from a dense X.</summary>
    private static double[,] RegularizedGram(float[,] x, double lambda)
    {
        int users = x.GetLength(0), n = x.GetLength(1);
        var g = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int u = 0; u < users; u++) s += (double)x[u, i] * x[u, j];
                g[i, j] = s + (i == j ? lambda : 0);
            }
        return g;
    }

    private static float[,] RandomMatrix(int users, int items, int seed, double density)
    {
        var rng = new Random(seed);
        var x = new float[users, items];
        for (int u = 0; u < users; u++)
            for (int i = 0; i < items; i++)
                if (rng.NextDouble() < density) x[u, i] = 1 + rng.Next(4);
        return x;
    }

    private static EaseModel Fit(float[,] x, float lambda, int threads = 1) =>
        new EaseTrainer(new EaseTrainer.Options { L2 = lambda, NumberOfThreads = threads })
            .Fit(ItemKnnTests.Dense(x), ItemKnnTests.Ids("u", x.GetLength(0)), ItemKnnTests.Ids("i", x.GetLength(1)));

    [Theory]
    [InlineData(7, 4, 1.5f, 1)]   // tiny, one partial group of four
    [InlineData(120, 150, 20f, 3)] // several 64-row panels and a ragged last group
    public void WeightsEqualTheClosedFormFromAGaussJordanInverse(int users, int items, float lambda, int threads)
    {
        var x = RandomMatrix(users, items, seed: items, density: 0.15);
        var p = GaussJordanInverse(RegularizedGram(x, lambda));
        var model = Fit(x, lambda, threads);
        for (int j = 0; j < items; j++)
            for (int i = 0; i < items; i++)
            {
                double expected = i == j ? 0 : -p[j, i] / p[i, i];
                Assert.True(Math.Abs(expected - model.GetWeight(j, i)) <= 1e-5 * (1 + Math.Abs(expected)),
                    $"B[{j},{i}] = {model.GetWeight(j, i)}, Gauss-Jordan gives {expected}");
            }
    }

    [Fact]
    public void EachColumnIsTheRidgeRegressionOfThatItemOnTheOthers()
    {
        // Independent of P: column i of B minimises |x_i - X b|² + λ|b|² with b_i = 0, i.e. solves
        // (G_{-i,-i} + λI) b_{-i} = G_{-i,i}.
        var x = RandomMatrix(40, 9, seed: 5, density: 0.3);
        const double lambda = 3;
        var g = RegularizedGram(x, 0);
        var model = Fit(x, (float)lambda);
        int n = 9;
        for (int i = 0; i < n; i++)
        {
            var others = Enumerable.Range(0, n).Where(j => j != i).ToArray();
            var a = new double[n - 1, n - 1];
            for (int r = 0; r < n - 1; r++)
                for (int c = 0; c < n - 1; c++)
                    a[r, c] = g[others[r], others[c]] + (r == c ? lambda : 0);
            var inverse = GaussJordanInverse(a);
            for (int r = 0; r < n - 1; r++)
            {
                double b = 0;
                for (int c = 0; c < n - 1; c++) b += inverse[r, c] * g[others[c], i];
                Assert.Equal(b, model.GetWeight(others[r], i), 5);
            }
            Assert.Equal(0f, model.GetWeight(i, i));
        }
    }

    [Fact]
    public void ScoresAreTheUsersRowTimesB()
    {
        var x = RandomMatrix(12, 10, seed: 2, density: 0.4);
        var model = Fit(x, 2f);
        var scores = new float[10];
        for (int u = 0; u < 12; u++)
        {
            model.ScoreItems(u, scores);
            for (int i = 0; i < 10; i++)
            {
                double expected = 0;
                for (int j = 0; j < 10; j++) expected += x[u, j] * (double)model.GetWeight(j, i);
                Assert.Equal(expected, scores[i], 4);
            }
        }
    }

    [Fact]
    public void ThreadCountDoesNotChangeBByABit()
    {
        var x = RandomMatrix(150, 203, seed: 9, density: 0.1);
        Assert.Equal(Fit(x, 10f, 1).Weights.ToArray(), Fit(x, 10f, 3).Weights.ToArray());
    }

    [Fact]
    public void ItemsWithoutInteractionsGetZeroWeights()
    {
        var x = new float[,] { { 1, 1, 0 }, { 0, 1, 0 } };
        var model = Fit(x, 1f);
        for (int i = 0; i < 3; i++) { Assert.Equal(0f, model.GetWeight(2, i)); Assert.Equal(0f, model.GetWeight(i, 2)); }
    }

    [Fact]
    public void CataloguesAboveTheLimitAreRefusedSayingWhy()
    {
        var x = RandomMatrix(5, 6, seed: 1, density: 0.5);
        var trainer = new EaseTrainer(new EaseTrainer.Options { MaxItems = 5 });
        var e = Assert.Throws<ArgumentException>(() => trainer.Fit(ItemKnnTests.Dense(x), ItemKnnTests.Ids("u", 5), ItemKnnTests.Ids("i", 6)));
        Assert.Contains("dense items x items", e.Message);
        Assert.Contains("MaxItems", e.Message);
        Assert.Contains("6 items", e.Message);
        var big = Assert.Throws<ArgumentException>(() => EaseTrainer.EnsureCatalogFits(20001, 20000));
        Assert.Contains("3.2 GB", big.Message);
        Assert.Contains("8.0e12", big.Message);
    }

    [Fact]
    public void SimilarItemsAreTheLargestWeightsOfTheItemsRow()
    {
        var x = RandomMatrix(30, 8, seed: 4, density: 0.4);
        var train = ItemKnnTests.Dense(x);
        var model = Fit(x, 2f);
        var recommender = new Recommender(model, train, PopularityModel.Fit(train, model.Users, model.Items));
        var similar = recommender.SimilarItems("i3", 7);
        Assert.Equal(7, similar.Count);
        Assert.DoesNotContain(similar, s => s.ItemId == "i3");
        var expected = Enumerable.Range(0, 8).Where(i => i != 3).OrderByDescending(i => model.GetWeight(3, i)).ThenBy(i => i).Select(i => $"i{i}");
        Assert.Equal(expected, similar.Select(s => s.ItemId));
    }

    public static TheoryData<string, Action<EaseTrainer.Options>> BadOptions() => new()
    {
        { nameof(EaseTrainer.Options.L2), o => o.L2 = 0f },
        { nameof(EaseTrainer.Options.L2), o => o.L2 = float.NaN },
        { nameof(EaseTrainer.Options.MaxItems), o => o.MaxItems = 0 },
        { nameof(EaseTrainer.Options.MaxItems), o => o.MaxItems = EaseTrainer.ItemLimit + 1 },
        { nameof(EaseTrainer.Options.NumberOfThreads), o => o.NumberOfThreads = 0 },
        { nameof(EaseTrainer.Options.UserIdColumnName), o => o.UserIdColumnName = "" },
        { nameof(EaseTrainer.Options.ItemIdColumnName), o => o.ItemIdColumnName = " " },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void BadOptionsThrowNamingTheOption(string name, Action<EaseTrainer.Options> spoil)
    {
        var options = new EaseTrainer.Options();
        spoil(options);
        Assert.Equal(name, Assert.Throws<ArgumentOutOfRangeException>(() => new EaseTrainer(options)).ParamName);
    }

    [Fact]
    public void DefaultsAreTheDocumentedOnes()
    {
        var o = new EaseTrainer.Options();
        Assert.Equal((500f, 20000, 1), (o.L2, o.MaxItems, o.NumberOfThreads));
    }
}
