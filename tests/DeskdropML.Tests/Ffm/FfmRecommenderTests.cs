using DeskdropML.Recommending;
using System.Diagnostics;
using DeskdropML.Data;
using DeskdropML.Evaluation;
using DeskdropML.Sparse;
using DeskdropML.Trainers.Ffm;
using DeskdropML.Tuning;
using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit.Abstractions;

namespace DeskdropML.Tests.Ffm;

public class FfmRecommenderTests
{
    private readonly ITestOutputHelper _output;

    public FfmRecommenderTests(ITestOutputHelper output) => _output = output;

    /// <summary>A small random user x item matrix (every user has 2..5 items).</summary>
    internal static (CsrMatrix Train, IdMap Users, IdMap Items) RandomTrain(int users, int items, int seed)
    {
        var random = new Random(seed);
        var rows = new List<int>();
        var cols = new List<int>();
        for (int u = 0; u < users; u++)
        {
            int n = 2 + random.Next(4);
            var chosen = new HashSet<int>();
            while (chosen.Count < n) chosen.Add(random.Next(items));
            foreach (int i in chosen) { rows.Add(u); cols.Add(i); }
        }
        var train = CsrMatrix.FromTriplets(users, items, rows.ToArray(), cols.ToArray(), Enumerable.Repeat(1f, rows.Count).ToArray());
        var userMap = IdMap.FromIds(Enumerable.Range(0, users).Select(u => $"user{u:D3}"));
        var itemMap = IdMap.FromIds(Enumerable.Range(0, items).Select(i => $"item{i:D3}"));
        return (train, userMap, itemMap);
    }

    private sealed class ScoringRow
    {
        [ColumnName(FfmRecommender.UserIdColumnName)] public string UserId { get; set; } = "";
        [ColumnName(FfmRecommender.ItemIdColumnName)] public string ItemId { get; set; } = "";
        [ColumnName(FfmRecommender.LabelColumnName)] public bool Label { get; set; }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Direct_scores_equal_the_ml_net_transformer_raw_score(bool normalize)
    {
        var (train, users, items) = RandomTrain(users: 15, items: 12, seed: 3);
        var model = FfmRecommender.Fit(train, users, items, new FfmRecommender.Options
        {
            LatentDimension = 5, NumberOfIterations = 8, NormalizeFeatures = normalize, Seed = 11,
        });

        // Every (user, item) pair through ML.NET, in a scrambled order so the comparison cannot rely on row order.
        var pairs = new List<(int U, int I)>();
        for (int u = 0; u < users.Count; u++)
            for (int i = 0; i < items.Count; i++) pairs.Add((u, i));
        var random = new Random(5);
        pairs = pairs.OrderBy(_ => random.Next()).ToList();
        var ml = new MLContext(0);
        var input = ml.Data.LoadFromEnumerable(pairs.Select(p => new ScoringRow { UserId = users[p.U], ItemId = items[p.I] }));
        var scored = model.Transformer.Transform(input);
        var raw = scored.GetColumn<float>("Score").ToArray();
        Assert.Equal(pairs.Count, raw.Length);

        var buffer = new float[items.Count];
        int differing = 0;
        for (int r = 0; r < pairs.Count; r++)
        {
            var (u, i) = pairs[r];
            model.ScoreItems(u, buffer);
            Assert.Equal(raw[r], buffer[i], 1e-4);
            Assert.Equal(raw[r], model.Score(u, i), 1e-4);
            if (Math.Abs(raw[r] - raw[0]) > 1e-3) differing++;
        }
        // The model learned something: scores are not all the same.
        Assert.True(differing > pairs.Count / 2);
    }

    [Fact]
    public void Packed_vectors_reproduce_the_scores()
    {
        var (train, users, items) = RandomTrain(10, 9, seed: 1);
        var model = FfmRecommender.Fit(train, users, items, new FfmRecommender.Options { LatentDimension = 4, NumberOfIterations = 3 });
        var pu = new float[model.Dimension + 2];
        var pi = new float[model.Dimension + 2];
        var scores = new float[items.Count];
        for (int u = 0; u < users.Count; u++)
        {
            model.ScoreItems(u, scores);
            model.GetPackedUserVector(u, pu);
            for (int i = 0; i < items.Count; i++)
            {
                model.GetPackedItemVector(i, pi);
                float dot = 0;
                for (int k = 0; k < pu.Length; k++) dot += pu[k] * pi[k];
                Assert.Equal(scores[i], dot, 1e-5);
            }
        }
    }

    [Fact]
    public void Negatives_are_outside_the_users_train_row_and_seeded()
    {
        var (train, users, items) = RandomTrain(20, 8, seed: 2);
        var rows = FfmRecommender.TrainingRows(train, users, items, negativesPerPositive: 3, seed: 9);
        Assert.Equal(train.NonZeroCount * 4, rows.Count);
        Assert.Equal(train.NonZeroCount, rows.Count(r => r.Label));
        foreach (var r in rows)
        {
            bool inTrain = train.Contains(users.IndexOf(r.UserId), items.IndexOf(r.ItemId));
            Assert.Equal(r.Label, inTrain);
        }
        var again = FfmRecommender.TrainingRows(train, users, items, 3, 9);
        Assert.Equal(rows.Select(r => r.ItemId), again.Select(r => r.ItemId));
        var other = FfmRecommender.TrainingRows(train, users, items, 3, 10);
        Assert.NotEqual(rows.Select(r => r.ItemId), other.Select(r => r.ItemId));
    }

    [Fact]
    public void Same_seed_gives_the_same_model()
    {
        var (train, users, items) = RandomTrain(12, 10, seed: 4);
        var options = new FfmRecommender.Options { LatentDimension = 3, NumberOfIterations = 4, Seed = 7 };
        var a = FfmRecommender.Fit(train, users, items, options);
        var b = FfmRecommender.Fit(train, users, items, options);
        var sa = new float[items.Count];
        var sb = new float[items.Count];
        for (int u = 0; u < users.Count; u++)
        {
            a.ScoreItems(u, sa);
            b.ScoreItems(u, sb);
            Assert.Equal(sa, sb);
        }
    }

    [Fact]
    public void Learns_a_planted_block_structure()
    {
        // Two groups of users; group g only interacts with items of group g. Hold one item per user out.
        int users = 200, items = 20;
        var random = new Random(1);
        var trainRows = new List<int>();
        var trainCols = new List<int>();
        var testRows = new List<int>();
        var testCols = new List<int>();
        for (int u = 0; u < users; u++)
        {
            int g = u % 2;
            var own = Enumerable.Range(0, items).Where(i => i % 2 == g).OrderBy(_ => random.Next()).Take(6).ToArray();
            for (int j = 0; j < own.Length; j++)
            {
                (j == 0 ? testRows : trainRows).Add(u);
                (j == 0 ? testCols : trainCols).Add(own[j]);
            }
        }
        CsrMatrix Build(List<int> r, List<int> c) => CsrMatrix.FromTriplets(users, items, r.ToArray(), c.ToArray(), Enumerable.Repeat(1f, r.Count).ToArray());
        var train = Build(trainRows, trainCols);
        var test = Build(testRows, testCols);
        var userMap = IdMap.FromIds(Enumerable.Range(0, users).Select(u => $"u{u:D2}"));
        var itemMap = IdMap.FromIds(Enumerable.Range(0, items).Select(i => $"i{i:D2}"));
        var model = FfmRecommender.Fit(train, userMap, itemMap, new FfmRecommender.Options { Seed = 2 }); // ML.NET defaults: d = 20, 5 iterations, lr 0.1
        var result = RankingEvaluator.Evaluate(train, test, model, new RankingEvaluationOptions { K = 5, NumberOfThreads = 1 });
        // Random ranking of the 15 untrained items puts the held-out one in the top 5 a third of the time;
        // the block structure leaves 5 candidates of the user's own group, so a model that learned it nearly always hits.
        // (Measured while writing this: 0.97 with the defaults; d = 4 stalls at 0.275 in ML.NET's trainer.)
        Assert.True(result.HitRate > 0.9, $"hit rate {result.HitRate}");
    }

    [Fact]
    public void Bad_options_name_the_parameter()
    {
        var (train, users, items) = RandomTrain(5, 5, seed: 1);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => FfmRecommender.Fit(train, users, items, new FfmRecommender.Options { LatentDimension = 0 }));
        Assert.Equal("LatentDimension", e.ParamName);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => FfmRecommender.Fit(train, users, items, new FfmRecommender.Options { NegativesPerPositive = 0 }));
        Assert.Equal("NegativesPerPositive", e.ParamName);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => FfmRecommender.Fit(train, users, items, new FfmRecommender.Options { LearningRate = float.NaN }));
        Assert.Equal("LearningRate", e.ParamName);
        var a = Assert.Throws<ArgumentException>(() => FfmRecommender.Fit(train, users, IdMap.FromIds(new[] { "x" })));
        Assert.Equal("train", a.ParamName);
    }

    /// <summary>Measures the baseline on the deskdrop benchmark; run with --filter "Category=Benchmark&amp;FullyQualifiedName~Ffm".</summary>
    [Fact]
    [Trait("Category", "Benchmark")]
    public void Deskdrop_benchmark_numbers()
    {
        var ds = DeskdropBenchmark.Load(TestPaths.NotebooksData, DeskdropBenchmarkKind.Deskdrop).Dataset;
        foreach (var (d, it) in new[] { (20, 5), (8, 10), (32, 20) })
        {
            foreach (int seed in new[] { 1, 2, 3 })
            {
                var watch = Stopwatch.StartNew();
                var model = FfmRecommender.Fit(ds.Train, ds.Users, ds.Items, new FfmRecommender.Options { LatentDimension = d, NumberOfIterations = it, Seed = seed });
                double seconds = watch.Elapsed.TotalSeconds;
                var options = new RankingEvaluationOptions { K = 10 };
                var raw = RankingEvaluator.Evaluate(ds.Train, ds.Test, model, options);
                var withFallback = RankingEvaluator.Evaluate(ds.Train, ds.Test, new ColdUserFallbackModel(model, ds.Train), options);
                _output.WriteLine($"ffm d={d} it={it} seed={seed}: fit {seconds:F2}s | P@10 {raw.Precision:F4} R@10 {raw.Recall:F4} NDCG@10 {raw.Ndcg:F4} "
                    + $"| cold users by popularity: P@10 {withFallback.Precision:F4} R@10 {withFallback.Recall:F4} NDCG@10 {withFallback.Ndcg:F4}");
            }
        }
        var (_, folds) = Evaluation.BacktestAssert.WeeklyFolds(DeskdropBenchmarkKind.Deskdrop);
        var r = Evaluation.BacktestAssert.CiAboveRandom(folds, f => FfmRecommender.Fit(f.Dataset.Train, f.Dataset.Users, f.Dataset.Items,
            new FfmRecommender.Options { LatentDimension = 20, NumberOfIterations = 5, Seed = 1 }), "ffm");
        _output.WriteLine($"ffm weekly backtest NDCG@10 {r.Means.Ndcg:F4} [{r.Intervals[ReportedMetric.Ndcg].Low:F4}, {r.Intervals[ReportedMetric.Ndcg].High:F4}], random {r.Random.Ndcg:F4}");
    }
}
