using DeskdropML.Features;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Text;
using static DeskdropML.Tests.Features.FeaturizerTestHelpers;

namespace DeskdropML.Tests.Features;

public class TfIdfWeightingTests
{
    // Corpus of n = 3 documents; document frequencies: apple 1, banana 3, cherry 2, durian 1.
    private static readonly ArticleText[] s_corpus =
    [
        Article("d1", "Apple", "banana apple"),
        Article("d2", "", "Banana, cherry."),
        Article("d3", null, "cherry durian banana"),
    ];

    [Fact]
    public void Raw_preset_matches_sklearn_smooth_idf_with_l2_norm()
    {
        // idf(t) = ln((1 + 3) / (1 + df)) + 1: apple = durian = ln 2 + 1 = 1.693147, banana = 1, cherry = ln(4/3) + 1 = 1.287682.
        // d1 = [apple 2 * 1.693147 = 3.386294, banana 1] / sqrt(3.386294^2 + 1) = [0.959056, 0.283217]
        // d2 = [banana 1, cherry 1.287682] / 1.630371 = [0.613356, 0.789807]
        // d3 = [banana 1, cherry 1.287682, durian 1.693147] / 2.350494 = [0.425441, 0.547832, 0.720333]
        var (_, features) = FitAndFeaturize(s_corpus, TextFeaturePreset.Raw);
        Assert.Equal(["apple", "banana", "cherry", "durian"], features.Vocabulary.Order(StringComparer.Ordinal));
        AssertRow(features, "d1", ("apple", 0.959056), ("banana", 0.283217));
        AssertRow(features, "d2", ("banana", 0.613356), ("cherry", 0.789807));
        AssertRow(features, "d3", ("banana", 0.425441), ("cherry", 0.547832), ("durian", 0.720333));
    }

    [Fact]
    public void Sublinear_tf_uses_one_plus_log_tf()
    {
        // d1: apple (1 + ln 2) * 1.693147 = 2.866747, banana 1 -> / 3.036168 = [0.944203, 0.329364]
        var (_, features) = FitAndFeaturize(s_corpus, TextFeaturePreset.Raw, sublinear: true);
        AssertRow(features, "d1", ("apple", 0.944203), ("banana", 0.329364));
        // tf = 1 everywhere else: same as linear tf.
        AssertRow(features, "d2", ("banana", 0.613356), ("cherry", 0.789807));
    }

    [Fact]
    public void MlNet_tfidf_weighting_is_unsmoothed_ln_n_over_df()
    {
        // Pins what ML.NET 5.0.1's ProduceNgrams(TfIdf) computes: tf * ln(n / df), no smoothing, no "+ 1".
        // A term in every document (banana) gets 0, unlike scikit-learn. If an upgrade changes this, the
        // featurizer's shift in SmoothTfIdfMappingFactory must be revisited.
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(s_corpus);
        var pipeline = ml.Transforms.Text.TokenizeIntoWords("Tokens", nameof(ArticleText.Text), [' ', ','])
            .Append(ml.Transforms.Conversion.MapValueToKey("Keys", "Tokens"))
            .Append(ml.Transforms.Text.ProduceNgrams("TfIdf", "Keys", ngramLength: 1, useAllLengths: false,
                weighting: NgramExtractingEstimator.WeightingCriteria.TfIdf));
        var output = pipeline.Fit(data).Transform(data);
        VBuffer<ReadOnlyMemory<char>> slots = default;
        output.Schema["TfIdf"].GetSlotNames(ref slots);
        var names = slots.DenseValues().Select(s => s.ToString()).ToArray();
        var rows = new List<float[]>();
        using (var cursor = output.GetRowCursor(new[] { output.Schema["TfIdf"] }))
        {
            var getter = cursor.GetGetter<VBuffer<float>>(output.Schema["TfIdf"]);
            VBuffer<float> v = default;
            while (cursor.MoveNext()) { getter(ref v); rows.Add(v.DenseValues().ToArray()); }
        }
        // Text only: d1 "banana apple", d2 "Banana" + "cherry." (case kept), d3 "cherry durian banana".
        int apple = Array.IndexOf(names, "apple"), banana = Array.IndexOf(names, "banana"), durian = Array.IndexOf(names, "durian");
        Assert.Equal(Math.Log(3.0 / 1), rows[0][apple], 5);   // df(apple) = 1 -> 1.098612
        Assert.Equal(Math.Log(3.0 / 2), rows[0][banana], 5);  // "banana" lower-case in d1 and d3 -> ln 1.5 = 0.405465
        Assert.Equal(Math.Log(3.0 / 1), rows[2][durian], 5);
    }

    private static void AssertRow(ItemTextFeatures features, string item, params (string Term, double Weight)[] expected)
    {
        var row = Row(features, item);
        Assert.Equal(expected.Length, row.Count);
        foreach (var (term, weight) in expected)
        {
            Assert.True(row.ContainsKey(term), $"{item} lacks {term}");
            Assert.Equal(weight, row[term], 5);
        }
    }
}
