using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Text;

namespace DeskdropML.Tests.Features;

/// <summary>
/// Pins the ML.NET 5.0.1 behaviours that made the featurizer build its own chain (DESIGN section 6). If one of
/// these fails after an upgrade, ML.NET fixed it and the workaround can be reconsidered.
/// </summary>
public class MlNetTextLimitationTests
{
    private sealed class Doc
    {
        public string Text { get; set; } = "";
    }

    [Fact]
    public void FeaturizeText_has_no_portuguese_stop_word_language()
    {
        var languages = Enum.GetNames<TextFeaturizingEstimator.Language>();
        Assert.Contains("Spanish", languages);
        Assert.DoesNotContain("Portuguese", languages);
    }

    [Fact]
    public void FeaturizeText_with_spanish_stop_words_keeps_spanish_stop_words()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(new[] { new Doc { Text = "los usuarios leen los artículos y the end" } });
        var options = new TextFeaturizingEstimator.Options
        {
            StopWordsRemoverOptions = new StopWordsRemovingEstimator.Options { Language = TextFeaturizingEstimator.Language.Spanish },
            CharFeatureExtractor = null,
            WordFeatureExtractor = new WordBagEstimator.Options { NgramLength = 1, UseAllLengths = false },
            KeepDiacritics = true,
        };
        var output = ml.Transforms.Text.FeaturizeText("F", options, nameof(Doc.Text)).Fit(data).Transform(data);
        VBuffer<ReadOnlyMemory<char>> slots = default;
        output.Schema["F"].GetSlotNames(ref slots);
        var terms = slots.DenseValues().Select(s => s.ToString()).ToArray();
        Assert.Contains("usuarios", terms);
        // "los" and "y" are Spanish stop words, but the English list is applied: they survive and "the" goes.
        Assert.Contains("los", terms);
        Assert.DoesNotContain("the", terms);
    }

    [Fact]
    public void NormalizeLpNorm_rejects_variable_size_vectors()
    {
        // Why SmoothTfIdfMappingFactory normalises itself: custom mappings output variable-size vectors.
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(new[] { new Doc { Text = "a b" } });
        var tokens = ml.Transforms.Text.TokenizeIntoWords("Tokens", nameof(Doc.Text));
        var withVar = ml.Transforms.CustomMapping<TokensIn, VarOut>((i, o) => o.V = new VBuffer<float>(2, [1f, 1f]), contractName: null);
        var pipeline = tokens.Append(withVar).Append(ml.Transforms.NormalizeLpNorm("N", "V"));
        Assert.Throws<ArgumentOutOfRangeException>(() => pipeline.Fit(data));
    }

    private sealed class TokensIn
    {
        [VectorType] public string[] Tokens = [];
    }

    private sealed class VarOut
    {
        public VBuffer<float> V;
    }
}
