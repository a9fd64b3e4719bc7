using DeskdropML.Data;
using DeskdropML.Features;
using DeskdropML.Recommending;
using DeskdropML.Trainers.Warp;
using Microsoft.ML;

namespace DeskdropML.Tests.Warp;

public class TextHybridModelTests
{
    private static (InteractionDataset Ds, List<ArticleText> Articles, ItemTextFeaturizerTransformer Featurizer, WarpModelParameters Model) Fit(MLContext ml)
    {
        var benchmark = DeskdropBenchmark.Load(TestPaths.NotebooksData, DeskdropBenchmarkKind.DeskdropText);
        var ds = benchmark.Dataset;
        var articles = benchmark.Articles.Select(ArticleText.From).ToList();
        var featurizer = new ItemTextFeaturizer(ml, new ItemTextFeaturizer.Options { Preset = TextFeaturePreset.Clean }).Fit(articles);
        var text = featurizer.Featurize(articles, ds.Items);
        var model = new WarpTrainer(new WarpTrainer.Options { NumberOfEpochs = 3, UseItemIdentityFeatures = false, Seed = 3 })
            .Fit(ds.Train, ds.Users, ds.Items, null, text.Matrix);
        return (ds, articles, featurizer, model);
    }

    [Fact]
    public void Folding_in_a_known_articles_text_gives_its_trained_vector_and_survives_the_zip()
    {
        var ml = new MLContext(seed: 1);
        var (ds, articles, featurizer, model) = Fit(ml);
        var hybrid = TextHybridModel.Create(featurizer, model);

        // With text features only, an item's vector is exactly the fold-in of its own text.
        var article = articles.First(a => ds.Items.Contains(a.ItemId));
        int item = ds.Items.IndexOf(article.ItemId);
        var expected = new float[model.Dimension + 2];
        model.GetPackedItemVector(item, expected);
        var folded = hybrid.FoldInItem(article.Title, article.Text, article.Lang);
        for (int j = 0; j < expected.Length; j++) Assert.Equal(expected[j], folded[j], 1e-4);

        string zip = Path.Combine(TestPaths.NewTempDirectory(), "hybrid.zip");
        var scoring = new FactorizationScoringTransformer(ml, model, ds.Train, modelKind: "warp");
        var schema = ml.Data.LoadFromEnumerable(Array.Empty<InteractionRow>()).Schema;
        hybrid.Save(ml, scoring, schema, zip);
        var loaded = TextHybridModel.Load(new MLContext(seed: 2), zip);
        Assert.Equal(folded, loaded.FoldInItem(article.Title, article.Text, article.Lang));
        var brandNew = loaded.FoldInItem("Machine learning in .NET", "Recommendation systems with matrix factorization and text features.", "en");
        Assert.Equal(hybrid.FoldInItem("Machine learning in .NET", "Recommendation systems with matrix factorization and text features.", "en"), brandNew);
        Assert.Contains(brandNew.Take(model.Dimension), v => v != 0f);
        string user = ds.Users[0];
        Assert.Equal(hybrid.ScoreNewItem(user, brandNew), loaded.ScoreNewItem(user, brandNew));
        Assert.Throws<KeyNotFoundException>(() => loaded.ScoreNewItem("nobody", brandNew));
    }

    [Fact]
    public void A_model_without_text_features_cannot_fold_in()
    {
        var ml = new MLContext(seed: 1);
        var (ds, _, featurizer, _) = Fit(ml);
        var pureCf = new WarpTrainer(new WarpTrainer.Options { NumberOfEpochs = 1 }).Fit(ds.Train, ds.Users, ds.Items);
        Assert.Equal("model", Assert.Throws<ArgumentException>(() => TextHybridModel.Create(featurizer, pureCf)).ParamName);
    }
}
