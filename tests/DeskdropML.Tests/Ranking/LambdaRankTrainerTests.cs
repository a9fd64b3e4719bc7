using DeskdropML.Ranking;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeskdropML.Tests.Ranking;

public class LambdaRankTrainerTests
{
    /// <summary>
    /// Groups of 20 rows with 3 features: x0 and x2 are noise, x1 is higher by <paramref name="signal"/> on the 2 relevant rows.
    /// </summary>
    internal static RankingRows Planted(int groups, int seed, double signal = 1.5)
    {
        var random = new Random(seed);
        var rows = new RankingRows(3);
        for (int g = 0; g < groups; g++)
        {
            var features = new float[20 * 3];
            var labels = new float[20];
            labels[random.Next(20)] = 1;
            int second;
            do second = random.Next(20); while (labels[second] == 1);
            labels[second] = 1;
            for (int r = 0; r < 20; r++)
            {
                features[r * 3 + 0] = (float)random.NextDouble();
                features[r * 3 + 1] = (float)(Gaussian(random) + signal * labels[r]);
                features[r * 3 + 2] = (float)random.NextDouble();
            }
            rows.AddGroup(features, labels);
        }
        return rows;
    }

    private static double Gaussian(Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());

    /// <summary>Mean NDCG@10 of the groups ranked by the scores (ties: row order).</summary>
    internal static double MeanNdcg(RankingRows rows, Func<int, double> score)
    {
        double sum = 0;
        for (int g = 0; g < rows.GroupCount; g++)
        {
            var (start, count) = rows.Group(g);
            var order = Enumerable.Range(start, count).OrderByDescending(score).ThenBy(r => r).ToArray();
            double dcg = 0, ideal = 0;
            int relevant = 0;
            for (int r = start; r < start + count; r++) if (rows.Labels[r] > 0) relevant++;
            for (int p = 0; p < Math.Min(10, count); p++) if (rows.Labels[order[p]] > 0) dcg += 1 / Math.Log2(p + 2);
            for (int p = 0; p < Math.Min(10, relevant); p++) ideal += 1 / Math.Log2(p + 2);
            sum += ideal == 0 ? 0 : dcg / ideal;
        }
        return sum / rows.GroupCount;
    }

    [Fact]
    public void Learns_a_planted_signal_far_beyond_what_random_orderings_reach()
    {
        var train = Planted(300, seed: 1);
        var test = Planted(300, seed: 2);
        var model = new LambdaRankTrainer(new LambdaRankTrainer.Options { NumberOfIterations = 50, MinimumExampleCountPerLeaf = 20 })
            .Fit(train, new[] { "noise_a", "signal", "noise_b" });
        var scores = new float[test.Count];
        model.Score(test.Features, scores);
        double learned = MeanNdcg(test, r => scores[r]);
        // The best of 20 random orderings of the same groups: what luck could give.
        var random = new Random(3);
        double bestRandom = Enumerable.Range(0, 20).Select(_ =>
        {
            var noise = Enumerable.Range(0, test.Count).Select(_ => random.NextDouble()).ToArray();
            return MeanNdcg(test, r => noise[r]);
        }).Max();
        // The planted signal itself (x1) is the ceiling a ranker can reach from these features.
        double oracle = MeanNdcg(test, r => test.Features[r * 3 + 1]);
        Assert.True(bestRandom < 0.45, $"random orderings reached {bestRandom}");
        Assert.True(learned > bestRandom + 0.25, $"learned {learned} vs best random {bestRandom}");
        Assert.True(learned > oracle - 0.05, $"learned {learned} vs the signal itself {oracle}");
        Assert.Equal("signal", model.FeatureNames[Array.IndexOf(model.Importances.ToArray(), model.Importances.Max())]);
    }

    [Fact]
    public void Flat_tree_scores_equal_the_MLNET_transformer_and_survive_a_save_and_load()
    {
        var train = Planted(100, seed: 5);
        var model = new LambdaRankTrainer(new LambdaRankTrainer.Options { NumberOfIterations = 20, MinimumExampleCountPerLeaf = 10 })
            .Fit(train, new[] { "a", "b", "c" });
        var test = Planted(30, seed: 6);
        var ml = new MLContext(0);
        var view = LambdaRankTrainer.ToDataView(ml, test);
        var viaMlNet = model.Transformer.Transform(view).GetColumn<float>("Score").ToArray();
        var flat = new float[test.Count];
        model.Score(test.Features, flat);
        for (int r = 0; r < flat.Length; r++) Assert.Equal(viaMlNet[r], flat[r], 4);
        Assert.Contains(viaMlNet, s => Math.Abs(s - viaMlNet[0]) > 1e-3); // the model is not constant

        using var stream = new MemoryStream();
        model.Save(stream);
        stream.Position = 0;
        var loaded = LambdaRankModel.Load(stream, model.FeatureNames);
        var again = new float[test.Count];
        loaded.Score(test.Features, again);
        Assert.Equal(flat, again);
        Assert.Equal(model.Importances, loaded.Importances);
    }

    [Fact]
    public void Rows_without_a_relevant_label_are_refused_and_options_are_validated()
    {
        var rows = new RankingRows(1);
        rows.AddGroup(new float[] { 1, 2 }, new float[] { 0, 0 });
        Assert.Throws<ArgumentException>(() => new LambdaRankTrainer().Fit(rows, new[] { "x" }));
        Assert.Throws<ArgumentException>(() => rows.AddGroup(new float[] { float.NaN }, new float[] { 1 }));
        Assert.Equal("NumberOfLeaves", Assert.Throws<ArgumentOutOfRangeException>(() => new LambdaRankTrainer(new LambdaRankTrainer.Options { NumberOfLeaves = 1 })).ParamName);
        Assert.Equal("LearningRate", Assert.Throws<ArgumentOutOfRangeException>(() => new LambdaRankTrainer(new LambdaRankTrainer.Options { LearningRate = 0 })).ParamName);
    }
}
