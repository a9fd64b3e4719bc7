using System.Numerics.Tensors;
using DeskdropML.Data;
using DeskdropML.Features;
using DeskdropML.Persistence;
using DeskdropML.Recommending;
using DeskdropML.Trainers.Content;
using Microsoft.ML;

namespace DeskdropML.Tests.Content;

public class ContentFactorizationViewTests
{
    [Fact]
    public void Packed_dot_products_are_the_cosine_scores_and_survive_a_model_zip()
    {
        var benchmark = DeskdropBenchmark.Load(TestPaths.NotebooksData, DeskdropBenchmarkKind.DeskdropText);
        var ds = benchmark.Dataset;
        var articles = benchmark.Articles.Select(ArticleText.From).ToList();
        var ml = new MLContext(seed: 1);
        var text = new ItemTextFeaturizer(ml, new ItemTextFeaturizer.Options { Preset = TextFeaturePreset.Raw }).Fit(articles).Featurize(articles, ds.Items);
        var model = new ContentTrainer().Fit(ds.Train, ds.Users, ds.Items, text.Matrix);
        var view = new ContentFactorizationView(model);

        var user = new float[view.Dimension + 2];
        var item = new float[view.Dimension + 2];
        var scores = new float[ds.Items.Count];
        int checkedUsers = 0;
        for (int u = 0; u < ds.Users.Count; u += 37)
        {
            Assert.Equal(model.HasTrainingInteractions(u), view.HasTrainingInteractions(u));
            if (!model.HasTrainingInteractions(u)) continue;
            model.ScoreItems(u, scores);
            view.GetPackedUserVector(u, user);
            for (int i = 0; i < ds.Items.Count; i += 11)
            {
                view.GetPackedItemVector(i, item);
                Assert.Equal(scores[i], TensorPrimitives.Dot(user, item), 1e-5);
            }
            checkedUsers++;
        }
        Assert.True(checkedUsers > 5);

        string zip = Path.Combine(TestPaths.NewTempDirectory(), "content.zip");
        var schema = ml.Data.LoadFromEnumerable(Array.Empty<InteractionRow>()).Schema;
        FactorizationModelZip.Save(ml, new FactorizationScoringTransformer(ml, view, ds.Train, modelKind: "content"), schema, zip);
        var loaded = FactorizationModelZip.Load(zip);
        int warm = Enumerable.Range(0, ds.Users.Count).First(model.HasTrainingInteractions);
        var original = new Recommender(view, ds.Train, Trainers.Popularity.PopularityModel.Fit(ds.Train, ds.Users, ds.Items)).Recommend(ds.Users[warm], 10);
        var reloaded = loaded.CreateRecommender().Recommend(ds.Users[warm], 10);
        Assert.Equal(original.Items.Select(i => i.ItemId), reloaded.Items.Select(i => i.ItemId));
        Assert.False(reloaded.IsFallback);
    }
}
