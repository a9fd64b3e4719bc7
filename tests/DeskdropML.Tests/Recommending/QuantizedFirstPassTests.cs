using DeskdropML.Recommending;
using DeskdropML.Sparse;
using DeskdropML.Tests.Contract;

namespace DeskdropML.Tests.Recommending;

/// <summary>
/// The 16-bit first pass of top-k (<see cref="QuantizedItemMatrix"/>): its intervals contain the exact scores (the
/// float FMA chain, bit for bit), they are narrow, and <see cref="Recommender.RecommendBatch"/> returns the same
/// lists with and without it — ties, exclusions, cold users and users with fewer eligible items than k included.
/// On a processor without AVX-VNNI the first pass does not exist and the tests say so by checking that.
/// </summary>
public sealed class QuantizedFirstPassTests
{
    private static IdMap Ids(string prefix, int n) => new(Enumerable.Range(0, n).Select(i => $"{prefix}{i:D5}"));

    /// <summary>A random model whose factors are multiplied by <paramref name="scale"/>, with awkward items and users.</summary>
    private static TestFactorizationModel AwkwardModel(int users, int items, int dimension, float scale, int seed)
    {
        var random = TestFactorizationModel.Random(Ids("u", users), Ids("i", items), dimension, seed);
        var uf = new float[users * dimension];
        var ub = new float[users];
        var itf = new float[items * dimension];
        var ib = new float[items];
        for (int u = 0; u < users; u++) { random.UserFactors(u).CopyTo(uf.AsSpan(u * dimension)); ub[u] = random.UserBias(u); }
        for (int i = 0; i < items; i++) { random.ItemFactors(i).CopyTo(itf.AsSpan(i * dimension)); ib[i] = random.ItemBias(i); }
        for (int n = 0; n < uf.Length; n++) uf[n] *= scale;
        for (int n = 0; n < itf.Length; n++) itf[n] *= scale;
        // Item 0: all zero; item 1: one entry far larger than the rest; user 0: all zero factors and bias.
        itf.AsSpan(0, dimension).Clear();
        ib[0] = 0f;
        itf[dimension] = 1000f * scale;
        uf.AsSpan(0, dimension).Clear();
        ub[0] = 0f;
        // Items 3, 500 and the last are copies of item 2: equal exact scores, ranked by index.
        foreach (int copy in new[] { 3, Math.Min(500, items - 2), items - 1 })
        {
            itf.AsSpan(2 * dimension, dimension).CopyTo(itf.AsSpan(copy * dimension));
            ib[copy] = ib[2];
        }
        return new TestFactorizationModel(Ids("u", users), Ids("i", items), dimension, uf, ub, itf, ib, Enumerable.Repeat(true, users).ToArray());
    }

    [Theory]
    [InlineData(8, 1f)]
    [InlineData(64, 1f)]
    [InlineData(64, 1e-3f)]
    [InlineData(64, 1e3f)]
    [InlineData(130, 0.2f)]
    public void IntervalsContainTheExactScoresAndAreNarrow(int dimension, float scale)
    {
        if (!QuantizedItemMatrix.IsSupported)
        {
            Assert.Null(QuantizedItemMatrix.TryCreate(TestFactorizationModel.Random(Ids("u", 1), Ids("i", 4), 4, 1)));
            return;
        }
        const int users = 9, items = 1100;
        var model = AwkwardModel(users, items, dimension, scale, seed: dimension);
        var quantized = QuantizedItemMatrix.TryCreate(model)!;
        var exact = new PackedItemMatrix(model);
        int p = dimension + 2, stride = quantized.PaddedItems;
        var packed = new float[users * p];
        var codes = new short[users * quantized.UserCodeLength];
        var terms = new float[3 * users];
        var itemVector = new float[p];
        for (int u = 0; u < users; u++)
        {
            model.GetPackedUserVector(u, packed.AsSpan(u * p, p));
            Assert.True(quantized.QuantizeUser(packed.AsSpan(u * p, p), codes.AsSpan(u * quantized.UserCodeLength, quantized.UserCodeLength),
                out terms[3 * u], out terms[3 * u + 1], out terms[3 * u + 2]));
        }
        var lower = new float[users * stride];
        var upper = new float[users * stride];
        quantized.Bounds(codes, terms, users, lower, upper);
        double widthSum = 0, scaleSum = 0;
        for (int u = 0; u < users; u++)
        {
            ReadOnlySpan<float> user = packed.AsSpan(u * p, p);
            double userL1 = 0;
            foreach (float x in user) userL1 += Math.Abs(x);
            for (int i = 0; i < items; i++)
            {
                float score = exact.ScoreItem(user, i);
                float lo = lower[u * stride + i], hi = upper[u * stride + i];
                Assert.True(lo <= score && score <= hi, $"user {u} item {i}: exact {score} outside [{lo}, {hi}]");
                model.GetPackedItemVector(i, itemVector);
                double itemMax = 0;
                foreach (float x in itemVector) itemMax = Math.Max(itemMax, Math.Abs(x));
                widthSum += hi - lo;
                scaleSum += userL1 * itemMax;
            }
        }
        // Narrow: on average well under a thousandth of |u|_1 max|v| (16-bit codes give about 2e-4 plus the slack).
        Assert.True(widthSum < 1e-3 * scaleSum, $"mean relative width {widthSum / scaleSum:E2}");
    }

    [Theory]
    [InlineData(10, 1)]
    [InlineData(10, 2)]
    [InlineData(1, 1)]
    [InlineData(60, 2)]
    public void RecommendBatchGivesTheExactPathsLists(int k, int threads)
    {
        const int users = 70, items = 1500, dimension = 64;
        var model = AwkwardModel(users, items, dimension, 1f, seed: 5);
        // Known items: a few per user; user 5 knows all but 7 items (fewer eligible than k for k >= 8).
        var rng = new Random(3);
        var r = new List<int>();
        var c = new List<int>();
        for (int u = 0; u < users; u++)
        {
            if (u == 5)
            {
                for (int i = 7; i < items; i++) { r.Add(u); c.Add(i); }
                continue;
            }
            foreach (int i in Enumerable.Range(0, items).OrderBy(_ => rng.Next()).Take(rng.Next(0, 40)).Order()) { r.Add(u); c.Add(i); }
        }
        // Users 1 and 2 hold the top-scored copies of item 2 among their known items sometimes: also exclude item 2 for user 4.
        r.Add(4); c.Add(2);
        var known = CsrMatrix.FromTriplets(users, items, r.ToArray(), c.ToArray(), Enumerable.Repeat(1f, r.Count).ToArray());
        var fallback = Enumerable.Range(0, items).Select(i => (float)(i % 17)).ToArray();
        var recommender = new Recommender(model, known, fallback);
        Assert.Equal(QuantizedItemMatrix.IsSupported, recommender.HasQuantizedFirstPass);
        var all = Enumerable.Range(0, users).ToArray();
        recommender.UseQuantizedFirstPass = false;
        var expected = recommender.RecommendBatch(all, k, threads);
        recommender.UseQuantizedFirstPass = true;
        var actual = recommender.RecommendBatch(all, k, threads);
        for (int u = 0; u < users; u++) Assert.Equal(expected[u], actual[u]);
        Assert.Equal(Math.Min(k, 7), actual[5].Length);
        // The same lists as Recommend, one user at a time, for a few users.
        foreach (int u in new[] { 0, 1, 4, 69 })
            Assert.Equal(expected[u], recommender.Recommend(model.Users[u], k).Items.Select(s => model.Items.IndexOf(s.ItemId)).ToArray());
    }

    [Fact]
    public void BatchedExactRescoringEqualsSingleItemScoresBitForBit()
    {
        var model = TestFactorizationModel.Random(Ids("u", 2), Ids("i", 101), 37, seed: 9);
        var matrix = new PackedItemMatrix(model);
        var user = new float[39];
        model.GetPackedUserVector(1, user);
        var all = new float[101];
        matrix.Score(user, all);
        var list = new[] { 100, 0, 5, 6, 7, 64, 33 };
        var scores = new float[list.Length];
        matrix.ScoreItems(user, list, scores);
        for (int j = 0; j < list.Length; j++)
        {
            Assert.Equal(BitConverter.SingleToInt32Bits(all[list[j]]), BitConverter.SingleToInt32Bits(scores[j]));
            Assert.Equal(BitConverter.SingleToInt32Bits(all[list[j]]), BitConverter.SingleToInt32Bits(matrix.ScoreItem(user, list[j])));
        }
    }

    /// <summary>
    /// The case: ALS with 64 factors on synthetic-2m, top-10 for all 80,436 users with train items excluded —
    /// the first pass gives the exact path's lists for every user (runs when DESKDROP_SYNTHETIC names the log).
    /// </summary>
    [SkippableFact]
    public void SyntheticTop10ListsEqualTheExactPath()
    {
        string? path = TestPaths.SyntheticLog;
        Skip.If(path is null, TestPaths.SyntheticMissing);
        var log = DeskdropML.Data.InteractionCsvLoader.Load(path!, new DeskdropML.Data.InteractionCsvOptions { EventColumn = "event" });
        var ds = DeskdropML.Data.InteractionDataset.Build(log, new DeskdropML.Data.DatasetOptions { SplitTime = 1484228800 });
        var model = new DeskdropML.Trainers.Als.AlsTrainer(new DeskdropML.Trainers.Als.AlsTrainer.Options
        {
            NumberOfFactors = 64, NumberOfIterations = 3, NumberOfThreads = 2, Seed = 1,
        }).Fit(ds.Train, ds.Users, ds.Items);
        var recommender = new Recommender(model, ds.Train, DeskdropML.Trainers.Popularity.PopularityModel.Fit(ds.Train, ds.Users, ds.Items));
        Skip.IfNot(recommender.HasQuantizedFirstPass, "this processor has no AVX-VNNI: only the exact path exists");
        var all = Enumerable.Range(0, ds.Users.Count).ToArray();
        recommender.UseQuantizedFirstPass = false;
        var expected = recommender.RecommendBatch(all, 10, threads: 2);
        recommender.UseQuantizedFirstPass = true;
        var actual = recommender.RecommendBatch(all, 10, threads: 2);
        int different = 0;
        for (int u = 0; u < all.Length; u++)
            if (!expected[u].AsSpan().SequenceEqual(actual[u])) different++;
        Assert.Equal(0, different);
        Assert.Equal(80_436, all.Length);
    }
}
