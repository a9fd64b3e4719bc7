using DeskdropML.Features;
using DeskdropML.Recommending;
using DeskdropML.Sparse;
using DeskdropML.Trainers.Content;
using Microsoft.ML;

namespace DeskdropML.Tests.Content;

public class ContentModelTests
{
    // Items x terms (not normalised): x0 = [3, 4, 0], x1 = [0, 0, 2], x2 = [1, 0, 1], x3 = [0, 1, 0], x4 = no text.
    private static CsrMatrix ItemFeatures() => CsrMatrix.FromTriplets(5, 3,
        [0, 0, 1, 2, 2, 3], [0, 1, 2, 0, 2, 1], [3f, 4f, 2f, 1f, 1f, 1f]);

    // u0: item 0 (strength 1), item 1 (strength 3); u1: nothing; u2: only item 4 (no text); u3: item 0 with strength 0.
    private static CsrMatrix Interactions() => CsrMatrix.FromTriplets(4, 5,
        [0, 0, 2, 3], [0, 1, 4, 0], [1f, 3f, 2f, 0f]);

    private static readonly IdMap s_users = new(["u0", "u1", "u2", "u3"]);
    private static readonly IdMap s_items = new(["i0", "i1", "i2", "i3", "i4"]);

    [Fact]
    public void Profile_and_cosine_scores_match_a_hand_computation()
    {
        var model = new ContentTrainer().Fit(Interactions(), s_users, s_items, ItemFeatures());
        // x̂0 = [0.6, 0.8, 0], x̂1 = [0, 0, 1]; profile_u0 = (1 * x̂0 + 3 * x̂1) / 4 = [0.15, 0.2, 0.75].
        Assert.Equal([0, 1, 2], model.Profiles.RowIndices(0).ToArray());
        var profile = model.Profiles.RowValues(0).ToArray();
        Assert.Equal(0.15, profile[0], 6);
        Assert.Equal(0.20, profile[1], 6);
        Assert.Equal(0.75, profile[2], 6);
        // ||profile|| = sqrt(0.625) = 0.790569. Cosines: i0 0.25 / 0.790569 = 0.316228; i1 0.75 / 0.790569 = 0.948683;
        // i2 (x̂2 = [0.707107, 0, 0.707107]) 0.636396 / 0.790569 = 0.804984; i3 0.2 / 0.790569 = 0.252982; i4 0.
        var scores = new float[5];
        model.ScoreItems(0, scores);
        Assert.Equal(0.316228, scores[0], 5);
        Assert.Equal(0.948683, scores[1], 5);
        Assert.Equal(0.804984, scores[2], 5);
        Assert.Equal(0.252982, scores[3], 5);
        Assert.Equal(0.0, scores[4]);
        Assert.True(model.HasTrainingInteractions(0));
    }

    [Fact]
    public void Unweighted_profile_is_the_plain_mean()
    {
        var model = new ContentTrainer(new ContentTrainer.Options { UseInteractionStrength = false })
            .Fit(Interactions(), s_users, s_items, ItemFeatures());
        // (x̂0 + x̂1) / 2 = [0.3, 0.4, 0.5]
        Assert.Equal([0.3f, 0.4f, 0.5f], model.Profiles.RowValues(0).ToArray().Select(v => MathF.Round(v, 6)));
    }

    [Fact]
    public void Users_without_training_interactions_or_without_text_have_no_profile()
    {
        var model = new ContentTrainer().Fit(Interactions(), s_users, s_items, ItemFeatures());
        // A content model learns only from positive interactions on items with text: users 1 (no interaction),
        // 2 (trained on an item without text) and 3 (only a zero-strength interaction) are cold.
        Assert.False(model.HasTrainingInteractions(1));
        Assert.False(model.HasTrainingInteractions(2));
        Assert.False(model.HasTrainingInteractions(3));
        Assert.True(model.HasTrainingInteractions(0));
        // The one fallback rule follows the model: users 2 and 3 have training rows but are ranked by the fallback.
        var fallback = new ColdUserFallbackModel(model, Interactions(), [5f, 4f, 3f, 2f, 1f]);
        Assert.Equal([true, false, false, false], Enumerable.Range(0, 4).Select(fallback.IsWarm));
        var ranked = new float[5];
        fallback.ScoreItems(2, ranked);
        Assert.Equal([5f, 4f, 3f, 2f, 1f], ranked);
        var scores = new float[5];
        Array.Fill(scores, float.NaN);
        model.ScoreItems(1, scores);
        Assert.All(scores, s => Assert.Equal(0f, s));
        model.ScoreItems(2, scores);
        Assert.All(scores, s => Assert.Equal(0f, s));
    }

    [Fact]
    public void An_item_nobody_interacted_with_is_ranked_first_by_its_text()
    {
        var articles = new[]
        {
            new ArticleText { ItemId = "a", Title = "Kotlin coroutines", Text = "Structured concurrency with Kotlin coroutines and channels.", Lang = "en" },
            new ArticleText { ItemId = "b", Title = "Java streams", Text = "Collectors and parallel streams in Java.", Lang = "en" },
            new ArticleText { ItemId = "c", Title = "Python typing", Text = "Gradual typing and protocols in Python.", Lang = "en" },
            new ArticleText { ItemId = "d", Title = "Kotlin flows", Text = "Cold flows built on Kotlin coroutines.", Lang = "en" },
            new ArticleText { ItemId = "e", Title = "Spring Boot", Text = "Java microservices with Spring Boot.", Lang = "en" },
        };
        var items = IdMap.FromIds(articles.Select(a => a.ItemId));
        var users = new IdMap(["reader", "other"]);
        var features = new ItemTextFeaturizer(new MLContext(seed: 1), new ItemTextFeaturizer.Options { Preset = TextFeaturePreset.Clean })
            .Fit(articles).Featurize(articles, items);
        // The reader read "a"; the other user read b, c, e many times (so "d" is the only item nobody touched and
        // b, c, e are the popular ones).
        var train = CsrMatrix.FromTriplets(2, 5, [0, 1, 1, 1], [0, 1, 2, 4], [1f, 5f, 5f, 5f]);
        var model = new ContentTrainer().Fit(train, users, items, features.Matrix);
        var scores = new float[5];
        model.ScoreItems(0, scores);
        var excluded = new bool[5];
        excluded[0] = true; // the reader's training item
        var top = new int[4];
        int n = TopK.Select(scores, 4, top, new float[4], excluded);
        Assert.Equal(4, n);
        Assert.Equal("d", items[top[0]]);
        Assert.True(scores[3] > 0.2f, $"score of d = {scores[3]}");
    }

    [Fact]
    public void Scores_equal_brute_force_cosines_and_do_not_depend_on_threads()
    {
        var random = new Random(42);
        int users = 40, items = 60, terms = 80;
        var (ur, uc, uv) = RandomTriplets(random, users, items, 0.08, nonNegative: true);
        var (ir, ic, iv) = RandomTriplets(random, items, terms, 0.1, nonNegative: true);
        var train = CsrMatrix.FromTriplets(users, items, ur, uc, uv);
        var x = CsrMatrix.FromTriplets(items, terms, ir, ic, iv);
        var userMap = new IdMap(Enumerable.Range(0, users).Select(i => $"u{i:D3}"));
        var itemMap = new IdMap(Enumerable.Range(0, items).Select(i => $"i{i:D3}"));
        var single = new ContentTrainer(new ContentTrainer.Options { NumberOfThreads = 1 }).Fit(train, userMap, itemMap, x);
        var multi = new ContentTrainer(new ContentTrainer.Options { NumberOfThreads = 2 }).Fit(train, userMap, itemMap, x);
        Assert.Equal(single.Profiles.Values.ToArray(), multi.Profiles.Values.ToArray());
        Assert.Equal(single.Profiles.ColumnIndices.ToArray(), multi.Profiles.ColumnIndices.ToArray());

        var dense = new double[items, terms];
        for (int i = 0; i < items; i++)
            for (int p = x.RowPointers[i]; p < x.RowPointers[i + 1]; p++) dense[i, x.ColumnIndices[p]] = x.Values[p];
        var scores = new float[items];
        int checkedUsers = 0;
        for (int u = 0; u < users; u++)
        {
            var profile = new double[terms];
            double total = 0;
            for (int p = train.RowPointers[u]; p < train.RowPointers[u + 1]; p++)
            {
                int i = train.ColumnIndices[p];
                double w = train.Values[p], norm = 0;
                total += w;
                for (int t = 0; t < terms; t++) norm += dense[i, t] * dense[i, t];
                if (norm == 0) continue;
                for (int t = 0; t < terms; t++) profile[t] += w * dense[i, t] / Math.Sqrt(norm);
            }
            double profileNorm = Math.Sqrt(profile.Sum(v => v * v)) / (total > 0 ? total : 1);
            single.ScoreItems(u, scores);
            Assert.Equal(profileNorm > 0, single.HasTrainingInteractions(u));
            if (profileNorm == 0) { Assert.All(scores, s => Assert.Equal(0f, s)); continue; }
            checkedUsers++;
            for (int i = 0; i < items; i++)
            {
                double dot = 0, itemNorm = 0;
                for (int t = 0; t < terms; t++) { dot += profile[t] * dense[i, t]; itemNorm += dense[i, t] * dense[i, t]; }
                double cosine = itemNorm == 0 ? 0 : dot / Math.Sqrt(itemNorm) / Math.Sqrt(profile.Sum(v => v * v));
                Assert.Equal(cosine, scores[i], 1e-5);
            }
        }
        Assert.True(checkedUsers > users / 2);
    }

    [Fact]
    public void Bad_input_is_rejected_with_the_parameter_named()
    {
        var trainer = new ContentTrainer();
        Assert.Equal("interactions", Assert.Throws<ArgumentException>(() => trainer.Fit(Interactions(), new IdMap(["u0"]), s_items, ItemFeatures())).ParamName);
        Assert.Equal("itemFeatures", Assert.Throws<ArgumentException>(() => trainer.Fit(Interactions(), s_users, s_items, CsrMatrix.Empty(4, 3))).ParamName);
        var negative = CsrMatrix.FromTriplets(4, 5, [0], [0], [-1f]);
        Assert.Contains("non-negative", Assert.Throws<ArgumentException>(() => trainer.Fit(negative, s_users, s_items, ItemFeatures())).Message);
        var nan = CsrMatrix.FromTriplets(5, 3, [0], [0], [float.NaN]);
        Assert.Equal("itemFeatures", Assert.Throws<ArgumentException>(() => trainer.Fit(Interactions(), s_users, s_items, nan)).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ContentTrainer(new ContentTrainer.Options { NumberOfThreads = 0 }));
        var model = trainer.Fit(Interactions(), s_users, s_items, ItemFeatures());
        Assert.Throws<ArgumentException>(() => model.ScoreItems(0, new float[4]));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.ScoreItems(4, new float[5]));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.HasTrainingInteractions(-1));
    }

    private static (int[] Rows, int[] Cols, float[] Vals) RandomTriplets(Random random, int rows, int cols, double density, bool nonNegative)
    {
        var r = new List<int>(); var c = new List<int>(); var v = new List<float>();
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                if (random.NextDouble() < density)
                {
                    r.Add(i); c.Add(j);
                    v.Add((float)(nonNegative ? random.NextDouble() * 3 : random.NextDouble() * 6 - 3));
                }
        return (r.ToArray(), c.ToArray(), v.ToArray());
    }
}
