using DeskdropML.Recommending;
using DeskdropML.Sparse;
using DeskdropML.Trainers.Neighbors;
using DeskdropML.Trainers.Popularity;

namespace DeskdropML.Tests.Neighbors;

public class ItemKnnTests
{
    // 3 users x 5 items (item 4 has no interaction):
    //   u0: i0 = 1, i1 = 2
    //   u1: i0 = 1, i2 = 1
    //   u2: i1 = 1, i2 = 2, i3 = 1
    private static readonly float[,] R =
    {
        { 1, 2, 0, 0, 0 },
        { 1, 0, 1, 0, 0 },
        { 0, 1, 2, 1, 0 },
    };

    internal static CsrMatrix Dense(float[,] m)
    {
        var r = new List<int>(); var c = new List<int>(); var v = new List<float>();
        for (int i = 0; i < m.GetLength(0); i++)
            for (int j = 0; j < m.GetLength(1); j++)
                if (m[i, j] != 0) { r.Add(i); c.Add(j); v.Add(m[i, j]); }
        return CsrMatrix.FromTriplets(m.GetLength(0), m.GetLength(1), r.ToArray(), c.ToArray(), v.ToArray());
    }

    internal static IdMap Ids(string prefix, int n) => new(Enumerable.Range(0, n).Select(i => $"{prefix}{i}"));

    private static ItemKnnModel Fit(ItemKnnWeighting weighting, int k = 20, int threads = 1) =>
        new ItemKnnTrainer(new ItemKnnTrainer.Options { Weighting = weighting, NumberOfNeighbors = k, NumberOfThreads = threads })
            .Fit(Dense(R), Ids("u", 3), Ids("i", 5));

    private static void AssertNeighbors(ItemKnnModel model, Dictionary<(int, int), double> expected)
    {
        var s = model.Neighbors;
        int stored = 0;
        for (int i = 0; i < s.Rows; i++)
        {
            var idx = s.RowIndices(i);
            var val = s.RowValues(i);
            for (int p = 0; p < idx.Length; p++, stored++)
            {
                Assert.True(expected.TryGetValue((i, idx[p]), out double e), $"unexpected neighbour ({i}, {idx[p]}) = {val[p]}");
                Assert.Equal(e, val[p], 5);
            }
        }
        Assert.Equal(expected.Count, stored);
    }

    [Fact]
    public void CosineSimilaritiesAreTheHandComputedOnes()
    {
        // Columns: c0 = (1,1,0), c1 = (2,0,1), c2 = (0,1,2), c3 = (0,0,1); |c0| = √2, |c1| = |c2| = √5, |c3| = 1.
        // Only pairs sharing a user are stored (item 4 has none; 0 and 3 share none).
        double s01 = 2 / Math.Sqrt(10), s02 = 1 / Math.Sqrt(10), s12 = 2 / 5.0, s13 = 1 / Math.Sqrt(5), s23 = 2 / Math.Sqrt(5);
        AssertNeighbors(Fit(ItemKnnWeighting.Cosine), new()
        {
            [(0, 0)] = 1, [(0, 1)] = s01, [(0, 2)] = s02,
            [(1, 0)] = s01, [(1, 1)] = 1, [(1, 2)] = s12, [(1, 3)] = s13,
            [(2, 0)] = s02, [(2, 1)] = s12, [(2, 2)] = 1, [(2, 3)] = s23,
            [(3, 1)] = s13, [(3, 2)] = s23, [(3, 3)] = 1,
        });
    }

    [Fact]
    public void CosineScoresSumTheNeighboursOfTheUsersItemsWeightedByRawStrength()
    {
        var model = Fit(ItemKnnWeighting.Cosine);
        var scores = new float[5];
        model.ScoreItems(0, scores); // u0 has i0 = 1, i1 = 2
        Assert.Equal(1 * 1 + 2 * (2 / Math.Sqrt(10)), scores[0], 5);
        Assert.Equal(1 * (2 / Math.Sqrt(10)) + 2 * 1, scores[1], 5);
        Assert.Equal(1 / Math.Sqrt(10) + 2 * 0.4, scores[2], 5);
        Assert.Equal(2 / Math.Sqrt(5), scores[3], 5);
        Assert.Equal(0f, scores[4]);
    }

    [Fact]
    public void OnlyTheKBestNeighboursAreKeptTiesToTheLowerIndex()
    {
        // K = 2: each item keeps itself (similarity 1) and its best other item.
        var model = Fit(ItemKnnWeighting.Cosine, k: 2);
        double s01 = 2 / Math.Sqrt(10), s23 = 2 / Math.Sqrt(5);
        AssertNeighbors(model, new()
        {
            [(0, 0)] = 1, [(0, 1)] = s01,
            [(1, 0)] = s01, [(1, 1)] = 1,
            [(2, 2)] = 1, [(2, 3)] = s23,
            [(3, 2)] = s23, [(3, 3)] = 1,
        });
        var scores = new float[5];
        model.ScoreItems(0, scores);
        Assert.Equal(0f, scores[2]); // with K = 20 they score 1/√10 + 0.8 and 2/√5: pruned away here
        Assert.Equal(0f, scores[3]);
        Assert.Equal(1 + 2 * s01, scores[0], 5);

        // Ties: four identical columns, every similarity (self included) is 1; K = 2 keeps the two lowest indices.
        var tied = CsrMatrix.FromTriplets(1, 4, new[] { 0, 0, 0, 0 }, new[] { 0, 1, 2, 3 }, new[] { 1f, 1f, 1f, 1f });
        var t = new ItemKnnTrainer(new ItemKnnTrainer.Options { NumberOfNeighbors = 2 }).Fit(tied, Ids("u", 1), Ids("i", 4));
        Assert.Equal(new[] { 0, 1 }, t.Neighbors.RowIndices(0).ToArray());
        Assert.Equal(new[] { 0, 1 }, t.Neighbors.RowIndices(3).ToArray());
    }

    [Fact]
    public void TfIdfSimilaritiesAreTheHandComputedOnes()
    {
        // idf_u = ln(5) - ln(1 + n_u): n = 2, 2, 3. t_ui = sqrt(r_ui) idf_u, then every column scaled to unit length.
        double a = Math.Log(5) - Math.Log(3), b = Math.Log(5) - Math.Log(4);
        double[,] t =
        {
            { 1 * a, Math.Sqrt(2) * a, 0, 0 },
            { 1 * a, 0, 1 * a, 0 },
            { 0, 1 * b, Math.Sqrt(2) * b, 1 * b },
        };
        var expected = new Dictionary<(int, int), double>();
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 4; j++)
            {
                double dot = 0, ni = 0, nj = 0;
                bool shared = false;
                for (int u = 0; u < 3; u++) { dot += t[u, i] * t[u, j]; ni += t[u, i] * t[u, i]; nj += t[u, j] * t[u, j]; shared |= t[u, i] != 0 && t[u, j] != 0; }
                if (shared) expected[(i, j)] = dot / Math.Sqrt(ni * nj);
            }
        AssertNeighbors(Fit(ItemKnnWeighting.TfIdf), expected);
    }

    [Fact]
    public void Bm25SimilaritiesAreTheHandComputedOnes()
    {
        // K1 = 1.2, B = 0.75; column sums c = (2, 3, 3, 1, 0), mean 9/5; L_i = 0.25 + 0.75 c_i / 1.8;
        // w_ui = r (K1 + 1) / (K1 L_i + r) idf_u, not normalised; S_ij = Σ_u w_ui w_uj.
        double a = Math.Log(5) - Math.Log(3), b = Math.Log(5) - Math.Log(4);
        double L(double c) => 0.25 + 0.75 * c / 1.8;
        double W(double r, double c, double idf) => r * 2.2 / (1.2 * L(c) + r) * idf;
        double[,] w =
        {
            { W(1, 2, a), W(2, 3, a), 0, 0 },
            { W(1, 2, a), 0, W(1, 3, a), 0 },
            { 0, W(1, 3, b), W(2, 3, b), W(1, 1, b) },
        };
        var expected = new Dictionary<(int, int), double>();
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 4; j++)
            {
                double dot = 0;
                bool shared = false;
                for (int u = 0; u < 3; u++) { dot += w[u, i] * w[u, j]; shared |= w[u, i] != 0 && w[u, j] != 0; }
                if (shared) expected[(i, j)] = dot;
            }
        var model = Fit(ItemKnnWeighting.Bm25);
        AssertNeighbors(model, expected);
        // A user is scored with raw strengths, not BM25 weights.
        var scores = new float[5];
        model.ScoreItems(1, scores); // u1: i0 = 1, i2 = 1
        Assert.False(expected.ContainsKey((0, 3)));
        Assert.Equal(expected[(2, 3)], scores[3], 4);
        Assert.Equal(expected[(0, 1)] + expected[(2, 1)], scores[1], 4);
    }

    [Fact]
    public void MoreNeighboursThanItemsKeepsEveryCoOccurrence()
    {
        var all = Fit(ItemKnnWeighting.Cosine, k: int.MaxValue);
        var twenty = Fit(ItemKnnWeighting.Cosine, k: 20);
        Assert.Equal(twenty.Neighbors.ColumnIndices.ToArray(), all.Neighbors.ColumnIndices.ToArray());
    }

    [Fact]
    public void HistoryMatrixReplacesTheTrainingStrengthsInScores()
    {
        var train = Dense(R);
        var decayed = train.MapValues(v => v * 0.5f);
        var model = new ItemKnnTrainer().Fit(train, Ids("u", 3), Ids("i", 5), decayed);
        var plain = new ItemKnnTrainer().Fit(train, Ids("u", 3), Ids("i", 5));
        Assert.Equal(plain.Neighbors.Values.ToArray(), model.Neighbors.Values.ToArray());
        var a = new float[5];
        var b = new float[5];
        model.ScoreItems(2, a);
        plain.ScoreItems(2, b);
        for (int i = 0; i < 5; i++) Assert.Equal(b[i] * 0.5f, a[i], 5);
    }

    [Fact]
    public void ThreadCountDoesNotChangeTheNeighboursByABit()
    {
        var rng = new Random(3);
        var r = new List<int>(); var c = new List<int>(); var v = new List<float>();
        for (int u = 0; u < 300; u++)
            for (int n = 0; n < 1 + rng.Next(25); n++) { r.Add(u); c.Add(rng.Next(rng.Next(1, 400))); v.Add(1 + rng.Next(4)); }
        var m = CsrMatrix.FromTriplets(300, 400, r.ToArray(), c.ToArray(), v.ToArray());
        foreach (var weighting in Enum.GetValues<ItemKnnWeighting>())
        {
            ItemKnnModel Run(int threads) => new ItemKnnTrainer(new ItemKnnTrainer.Options { Weighting = weighting, NumberOfThreads = threads, NumberOfNeighbors = 7 })
                .Fit(m, Ids("u", 300), Ids("i", 400));
            var one = Run(1);
            var three = Run(3);
            Assert.Equal(one.Neighbors.RowPointers.ToArray(), three.Neighbors.RowPointers.ToArray());
            Assert.Equal(one.Neighbors.ColumnIndices.ToArray(), three.Neighbors.ColumnIndices.ToArray());
            Assert.Equal(one.Neighbors.Values.ToArray(), three.Neighbors.Values.ToArray());
            Assert.All(Enumerable.Range(0, 400), i => Assert.True(one.Neighbors.RowLength(i) <= 7));
        }
    }

    [Fact]
    public void SimilarItemsListsTheRowNeighboursBestFirstWithoutTheItem()
    {
        var model = Fit(ItemKnnWeighting.Cosine);
        var recommender = new Recommender(model, Dense(R), PopularityModel.Fit(Dense(R), Ids("u", 3), Ids("i", 5)));
        var similar = recommender.SimilarItems("i2", 10);
        Assert.Equal(new[] { "i3", "i1", "i0" }, similar.Select(s => s.ItemId));
        Assert.Equal(2 / Math.Sqrt(5), similar[0].Score, 5);
        Assert.Empty(recommender.SimilarItems("i4", 3)); // no co-occurrence, no neighbours
    }

    [Fact]
    public void RecommenderTopKEqualsTheModelsScores()
    {
        var model = Fit(ItemKnnWeighting.Cosine);
        var train = Dense(R);
        var recommender = new Recommender(model, train, PopularityModel.Fit(train, Ids("u", 3), Ids("i", 5)));
        var list = recommender.Recommend("u0", 3);
        Assert.Equal(new[] { "i2", "i3", "i4" }, list.Items.Select(i => i.ItemId)); // i4 scores 0, listed last
        Assert.Equal(1 / Math.Sqrt(10) + 0.8, list.Items[0].Score, 5);
    }

    public static TheoryData<string, Action<ItemKnnTrainer.Options>> BadOptions() => new()
    {
        { nameof(ItemKnnTrainer.Options.NumberOfNeighbors), o => o.NumberOfNeighbors = 0 },
        { nameof(ItemKnnTrainer.Options.Weighting), o => o.Weighting = (ItemKnnWeighting)9 },
        { nameof(ItemKnnTrainer.Options.Bm25K1), o => o.Bm25K1 = -1f },
        { nameof(ItemKnnTrainer.Options.Bm25K1), o => o.Bm25K1 = float.NaN },
        { nameof(ItemKnnTrainer.Options.Bm25B), o => o.Bm25B = 1.5f },
        { nameof(ItemKnnTrainer.Options.NumberOfThreads), o => o.NumberOfThreads = 0 },
        { nameof(ItemKnnTrainer.Options.UserIdColumnName), o => o.UserIdColumnName = "" },
        { nameof(ItemKnnTrainer.Options.ItemIdColumnName), o => o.ItemIdColumnName = " " },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void BadOptionsThrowNamingTheOption(string name, Action<ItemKnnTrainer.Options> spoil)
    {
        var options = new ItemKnnTrainer.Options();
        spoil(options);
        Assert.Equal(name, Assert.Throws<ArgumentOutOfRangeException>(() => new ItemKnnTrainer(options)).ParamName);
    }

    [Fact]
    public void DefaultsAreImplicits()
    {
        var o = new ItemKnnTrainer.Options();
        Assert.Equal((20, ItemKnnWeighting.Cosine, 1.2f, 0.75f, 1), (o.NumberOfNeighbors, o.Weighting, o.Bm25K1, o.Bm25B, o.NumberOfThreads));
    }

    [Fact]
    public void BadInputIsRejectedWithAClearMessage()
    {
        var trainer = new ItemKnnTrainer();
        Assert.Contains("no stored entry", Assert.Throws<ArgumentException>(() => trainer.Fit(CsrMatrix.Empty(2, 2), Ids("u", 2), Ids("i", 2))).Message);
        var negative = CsrMatrix.FromTriplets(1, 2, new[] { 0 }, new[] { 1 }, new[] { -1f });
        Assert.Contains(">= 0", Assert.Throws<ArgumentException>(() => trainer.Fit(negative, Ids("u", 1), Ids("i", 2))).Message);
        Assert.Contains("3 users and 4 items", Assert.Throws<ArgumentException>(() => trainer.Fit(Dense(R), Ids("u", 3), Ids("i", 4))).Message);
        Assert.Equal("history", Assert.Throws<ArgumentException>(() => trainer.Fit(Dense(R), Ids("u", 3), Ids("i", 5), CsrMatrix.Empty(2, 5))).ParamName);
    }
}
