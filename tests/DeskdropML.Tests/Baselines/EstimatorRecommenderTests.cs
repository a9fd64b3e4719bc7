using DeskdropML.Baselines;
using DeskdropML.Evaluation;
using DeskdropML.Sparse;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace DeskdropML.Tests.Baselines;

public class EstimatorRecommenderTests
{
    /// <summary>
    /// Users draw items from a skewed popularity distribution (weight 1 / (i + 1)); 6 train and 3 test items per user.
    /// </summary>
    private static (CsrMatrix Train, CsrMatrix Test, IdMap Users, IdMap Items) PlantedPopularity(int users, int items, int seed)
    {
        var random = new Random(seed);
        var weights = Enumerable.Range(0, items).Select(i => 1.0 / (i + 1)).ToArray();
        double total = weights.Sum();
        var trainRows = new List<int>(); var trainCols = new List<int>();
        var testRows = new List<int>(); var testCols = new List<int>();
        for (int u = 0; u < users; u++)
        {
            var chosen = new List<int>();
            while (chosen.Count < 9)
            {
                double r = random.NextDouble() * total;
                int i = 0;
                while (i < items - 1 && (r -= weights[i]) > 0) i++;
                if (!chosen.Contains(i)) chosen.Add(i);
            }
            for (int j = 0; j < chosen.Count; j++)
            {
                (j < 6 ? trainRows : testRows).Add(u);
                (j < 6 ? trainCols : testCols).Add(chosen[j]);
            }
        }
        CsrMatrix Build(List<int> r, List<int> c) => CsrMatrix.FromTriplets(users, items, r.ToArray(), c.ToArray(), Enumerable.Repeat(1f, r.Count).ToArray());
        // Item ids whose ordinal order differs from the popularity order, so "ties by index" cannot look like learning.
        var itemIds = Enumerable.Range(0, items).Select(i => $"item{(i * 7919) % 1000:D3}-{i}").ToArray();
        var userMap = IdMap.FromIds(Enumerable.Range(0, users).Select(u => $"user{u:D3}"));
        var itemMap = IdMap.FromIds(itemIds);
        // Re-index columns so that column c is itemIds[c]'s position in the sorted map.
        var position = itemIds.Select(id => itemMap.IndexOf(id)).ToArray();
        return (Build(trainRows, trainCols.Select(c => position[c]).ToList()), Build(testRows, testCols.Select(c => position[c]).ToList()), userMap, itemMap);
    }

    private static IEstimator<ITransformer> OneHotSdca(MLContext ml, bool keys) =>
        (keys
            ? (IEstimator<ITransformer>)ml.Transforms.Conversion.MapKeyToVector("U", "UserId").Append(ml.Transforms.Conversion.MapKeyToVector("I", "ItemId"))
            : ml.Transforms.Categorical.OneHotEncoding("U", "UserId").Append(ml.Transforms.Categorical.OneHotEncoding("I", "ItemId")))
        .Append(ml.Transforms.Concatenate("Features", "U", "I"))
        .Append(ml.Regression.Trainers.Sdca(new SdcaRegressionTrainer.Options { LabelColumnName = "Label", FeatureColumnName = "Features", NumberOfThreads = 1 }));

    /// <summary>Expected precision@k of a uniformly random ranking: per user |T_u| / (candidates), averaged.</summary>
    private static double RandomPrecision(CsrMatrix train, CsrMatrix test)
    {
        double sum = 0; int n = 0;
        for (int u = 0; u < test.Rows; u++)
        {
            if (test.RowLength(u) == 0) continue;
            sum += (double)test.RowLength(u) / (test.Columns - train.RowLength(u));
            n++;
        }
        return sum / n;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void An_in_box_regression_pipeline_beats_random_on_planted_popularity(bool keys)
    {
        var (train, test, users, items) = PlantedPopularity(120, 40, seed: 1);
        var ml = new MLContext(1);
        var harness = new EstimatorRecommender(ml, OneHotSdca(ml, keys), new EstimatorRecommender.Options
        {
            NegativesPerPositive = 3, IdColumns = keys ? IdColumnKind.Key : IdColumnKind.Text, UsersPerBatch = 16,
        });
        var model = harness.Fit(train, users, items);
        var result = RankingEvaluator.Evaluate(train, test, model, new RankingEvaluationOptions { K = 5, NumberOfThreads = 1 });
        double random = RandomPrecision(train, test);
        Assert.True(result.Precision > 2 * random, $"precision@5 {result.Precision:F4} vs random {random:F4}");
    }

    private sealed class TextRow
    {
        public string UserId { get; set; } = "";
        public string ItemId { get; set; } = "";
        public float Label { get; set; }
    }

    [Fact]
    public void Batched_scores_equal_the_transformer_row_by_row()
    {
        var (train, _, users, items) = PlantedPopularity(23, 11, seed: 2);
        var ml = new MLContext(2);
        // 23 users in blocks of 5: the last block is partial, so block offsets are exercised.
        var model = new EstimatorRecommender(ml, OneHotSdca(ml, keys: false), new EstimatorRecommender.Options { NegativesPerPositive = 2, UsersPerBatch = 5, NumberOfThreads = 2 })
            .Fit(train, users, items);

        var rows = new List<TextRow>();
        for (int u = users.Count - 1; u >= 0; u--)
            for (int i = 0; i < items.Count; i += 2) rows.Add(new TextRow { UserId = users[u], ItemId = items[i] });
        var scores = model.Transformer.Transform(ml.Data.LoadFromEnumerable(rows)).GetColumn<float>("Score").ToArray();
        var buffer = new float[items.Count];
        int distinct = 0;
        for (int r = 0; r < rows.Count; r++)
        {
            int u = users.IndexOf(rows[r].UserId), i = items.IndexOf(rows[r].ItemId);
            model.ScoreItems(u, buffer);
            Assert.Equal(scores[r], buffer[i]);
            if (scores[r] != scores[0]) distinct++;
        }
        Assert.True(distinct > 0);
    }

    [Fact]
    public void Training_rows_hold_the_pairs_and_negatives_outside_the_train_row()
    {
        var (train, _, users, items) = PlantedPopularity(15, 20, seed: 3);
        var harness = new EstimatorRecommender(new MLContext(0), new MLContext(0).Transforms.CopyColumns("Score", "Label"),
            new EstimatorRecommender.Options { NegativesPerPositive = 2, NegativeLabel = -1, IdColumns = IdColumnKind.Key, Seed = 4 });
        var view = harness.TrainingRows(train, users, items);
        Assert.Equal(train.NonZeroCount * 3, view.GetRowCount());
        var userKeys = view.GetColumn<uint>("UserId").ToArray();
        var itemKeys = view.GetColumn<uint>("ItemId").ToArray();
        var labels = view.GetColumn<float>("Label").ToArray();
        int positives = 0;
        for (int r = 0; r < labels.Length; r++)
        {
            int u = (int)userKeys[r] - 1, i = (int)itemKeys[r] - 1;
            bool inTrain = train.Contains(u, i);
            Assert.Equal(inTrain ? 1f : -1f, labels[r]);
            if (inTrain) positives++;
        }
        Assert.Equal(train.NonZeroCount, positives);
    }

    [Fact]
    public void A_copy_of_the_label_as_score_ranks_nothing_but_runs_the_whole_path()
    {
        // Score = Label = 0 on the scoring grid: every score is 0, so the harness must return exactly zeros.
        var (train, _, users, items) = PlantedPopularity(9, 12, seed: 5);
        var ml = new MLContext(0);
        var model = new EstimatorRecommender(ml, ml.Transforms.CopyColumns("Score", "Label"), new EstimatorRecommender.Options { UsersPerBatch = 4 })
            .Fit(train, users, items);
        for (int u = 0; u < users.Count; u++) Assert.All(model.UserScores(u).ToArray(), s => Assert.Equal(0f, s));
    }

    [Fact]
    public void An_estimator_without_a_float_score_column_is_rejected()
    {
        var (train, _, users, items) = PlantedPopularity(9, 12, seed: 5);
        var ml = new MLContext(0);
        var harness = new EstimatorRecommender(ml, ml.Transforms.CopyColumns("Prediction", "Label"));
        var e = Assert.Throws<ArgumentException>(() => harness.Fit(train, users, items));
        Assert.Contains("'Score'", e.Message);
        Assert.Equal("estimator", e.ParamName);
    }

    [Fact]
    public void Bad_options_name_the_parameter()
    {
        var ml = new MLContext(0);
        var estimator = ml.Transforms.CopyColumns("Score", "Label");
        Assert.Equal("UsersPerBatch", Assert.Throws<ArgumentOutOfRangeException>(() =>
            new EstimatorRecommender(ml, estimator, new EstimatorRecommender.Options { UsersPerBatch = 0 })).ParamName);
        Assert.Equal("NumberOfThreads", Assert.Throws<ArgumentOutOfRangeException>(() =>
            new EstimatorRecommender(ml, estimator, new EstimatorRecommender.Options { NumberOfThreads = 0 })).ParamName);
        Assert.Equal("NegativesPerPositive", Assert.Throws<ArgumentOutOfRangeException>(() =>
            new EstimatorRecommender(ml, estimator, new EstimatorRecommender.Options { NegativesPerPositive = -1 })).ParamName);
        Assert.Equal("ScoreColumnName", Assert.Throws<ArgumentException>(() =>
            new EstimatorRecommender(ml, estimator, new EstimatorRecommender.Options { ScoreColumnName = " " })).ParamName);
        var (train, _, users, items) = PlantedPopularity(9, 12, seed: 5);
        var tooSmall = new EstimatorRecommender(ml, estimator, new EstimatorRecommender.Options { MaxScoredPairs = 10 });
        Assert.Equal("train", Assert.Throws<ArgumentException>(() => tooSmall.Fit(train, users, items)).ParamName);
    }
}
