using DeskdropML.Features;
using DeskdropML.Sparse;
using Microsoft.ML;

namespace DeskdropML.Tests.Features;

internal static class FeaturizerTestHelpers
{
    public static ArticleText Article(string id, string? title, string? text, string? lang = "en") =>
        new() { ItemId = id, Title = title, Text = text, Lang = lang };

    public static (ItemTextFeaturizerTransformer Model, ItemTextFeatures Features) FitAndFeaturize(
        IReadOnlyList<ArticleText> articles, TextFeaturePreset preset, bool sublinear = false)
    {
        var ml = new MLContext(seed: 1);
        var model = new ItemTextFeaturizer(ml, new ItemTextFeaturizer.Options { Preset = preset, SublinearTf = sublinear }).Fit(articles);
        var features = model.Featurize(articles, IdMap.FromIds(articles.Select(a => a.ItemId)));
        return (model, features);
    }

    /// <summary>The row of an item as a term -> weight dictionary.</summary>
    public static Dictionary<string, float> Row(ItemTextFeatures features, string itemId)
    {
        int row = features.Items.IndexOf(itemId);
        Assert.True(row >= 0, $"item {itemId} not in map");
        var result = new Dictionary<string, float>(StringComparer.Ordinal);
        var indices = features.Matrix.RowIndices(row);
        var values = features.Matrix.RowValues(row);
        for (int p = 0; p < indices.Length; p++) result.Add(features.Vocabulary[indices[p]], values[p]);
        return result;
    }
}
