using DeskdropML.Features;
using static DeskdropML.Tests.Features.FeaturizerTestHelpers;

namespace DeskdropML.Tests.Features;

public class CleanPresetTests
{
    private static readonly ArticleText[] s_multilingual =
    [
        Article("pt", "Sistemas de recomendação", "Os dados de uso não mentem, e também as recomendações são úteis.", "pt"),
        Article("es", "Los sistemas", "Los usuarios también leen los artículos de la semana.", "es"),
        Article("en", "The de facto standard", "Recommendations were recommended by the machine learning team in 2016.", "en"),
    ];

    [Fact]
    public void Portuguese_and_spanish_stop_words_are_removed_per_article_language()
    {
        var (_, features) = FitAndFeaturize(s_multilingual, TextFeaturePreset.Clean);
        var pt = Row(features, "pt");
        var es = Row(features, "es");
        foreach (var stop in new[] { "de", "nao", "não", "tambem", "também", "os", "as", "sao", "são" })
            Assert.False(pt.ContainsKey(stop), $"Portuguese stop word '{stop}' survived");
        foreach (var stop in new[] { "los", "tambien", "también", "la", "de" })
            Assert.False(es.ContainsKey(stop), $"Spanish stop word '{stop}' survived");
        Assert.Contains("dado", pt.Keys);      // "dados" -> light stem "dado"
        Assert.True(es.ContainsKey("usuari"), string.Join(",", es.Keys));
    }

    [Fact]
    public void English_article_keeps_words_only_other_languages_stop()
    {
        var (_, features) = FitAndFeaturize(s_multilingual, TextFeaturePreset.Clean);
        var en = Row(features, "en");
        Assert.Contains("de", en.Keys);         // a Portuguese/Spanish stop word, not an English one
        Assert.Contains("facto", en.Keys);
        Assert.Contains("machin", en.Keys);     // Porter stem of "machine"
        Assert.Contains("learn", en.Keys);
        Assert.DoesNotContain("the", en.Keys);  // English stop word
        Assert.DoesNotContain("by", en.Keys);
        Assert.DoesNotContain("2016", en.Keys); // digits-only token
    }

    [Fact]
    public void Stemming_folds_inflections_to_one_term()
    {
        var (model, features) = FitAndFeaturize(s_multilingual, TextFeaturePreset.Clean);
        var en = Row(features, "en");
        Assert.Contains("recommend", en.Keys);
        Assert.DoesNotContain(model.Vocabulary, t => t.StartsWith("recommendation", StringComparison.Ordinal) || t == "recommended");
        // Portuguese "recomendação" and "recomendações" share one (accent-folded) term.
        var ptRecommend = model.Vocabulary.Where(t => t.StartsWith("recomend", StringComparison.Ordinal)).ToArray();
        Assert.Single(ptRecommend);
        Assert.True(ptRecommend[0].All(char.IsAscii), ptRecommend[0]);
        Assert.Contains(ptRecommend[0], Row(features, "pt").Keys);
    }

    [Fact]
    public void Stemmed_terms_are_counted_together()
    {
        // Two inflections of one word count as tf = 2 for the stem: with a second document holding only "other",
        // the single-document row has recommend (tf 2) and team (tf 1) with equal idf, so the weights are 2:1.
        var articles = new[]
        {
            Article("a", "", "recommendations recommended team", "en"),
            Article("b", "", "other", "en"),
        };
        var (_, features) = FitAndFeaturize(articles, TextFeaturePreset.Clean);
        var row = Row(features, "a");
        Assert.Equal(2, row.Count);
        Assert.Equal(2 / Math.Sqrt(5), row["recommend"], 5);
        Assert.Equal(1 / Math.Sqrt(5), row["team"], 5);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("xx")]
    [InlineData("la")]
    public void Missing_or_unknown_language_gets_no_stop_words_and_no_stemming(string? lang)
    {
        var articles = new[] { Article("x", "Os dados", "de recommendations", lang), Article("y", "", "other", "en") };
        var (_, features) = FitAndFeaturize(articles, TextFeaturePreset.Clean);
        var row = Row(features, "x");
        Assert.Equal(["dados", "de", "os", "recommendations"], row.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Language_code_with_region_and_case_is_recognised()
    {
        var articles = new[] { Article("x", "", "Os dados de", "PT-br"), Article("y", "", "other", "en") };
        var (_, features) = FitAndFeaturize(articles, TextFeaturePreset.Clean);
        Assert.Equal(["dado"], Row(features, "x").Keys);
    }

    [Fact]
    public void Punctuation_splits_tokens_and_accents_are_folded_after_stemming()
    {
        var articles = new[] { Article("x", "", "ML.NET's café—(update)", "xx"), Article("y", "", "other", "en") };
        var (_, features) = FitAndFeaturize(articles, TextFeaturePreset.Clean);
        // "s" is shorter than two characters and dropped.
        Assert.Equal(["cafe", "ml", "net", "update"], Row(features, "x").Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Raw_preset_keeps_stop_words_digits_and_accents_like_sklearn()
    {
        var articles = new[] { Article("x", "Os dados", "de recomendação, 2016 a_b x", "pt"), Article("y", "", "other", "en") };
        var (_, features) = FitAndFeaturize(articles, TextFeaturePreset.Raw);
        // sklearn token_pattern (?u)\b\w\w+\b: two or more word characters; '_' is a word character; "x" dropped.
        Assert.Equal(["2016", "a_b", "dados", "de", "os", "recomendação"], Row(features, "x").Keys.Order(StringComparer.Ordinal));
    }
}
