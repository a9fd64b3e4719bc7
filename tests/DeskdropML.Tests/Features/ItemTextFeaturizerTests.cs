using DeskdropML.Features;
using DeskdropML.Sparse;
using Microsoft.ML;
using Microsoft.ML.Data;
using static DeskdropML.Tests.Features.FeaturizerTestHelpers;

namespace DeskdropML.Tests.Features;

public class ItemTextFeaturizerTests
{
    private static readonly ArticleText[] s_corpus =
    [
        Article("i1", "Machine learning at scale", "Recommendations with implicit feedback, learning to rank.", "en"),
        Article("i2", "Aprendizado de máquina", "Sistemas de recomendação não supervisionados também.", "pt"),
        Article("i3", "Los sistemas", "Los usuarios también leen artículos.", "es"),
        Article("i4", "Kotlin coroutines", "Structured concurrency in Kotlin; coroutines and flows.", "en"),
    ];

    [Theory]
    [InlineData(TextFeaturePreset.Raw, false)]
    [InlineData(TextFeaturePreset.Clean, true)]
    public void Saved_and_loaded_featurizer_gives_identical_vectors(TextFeaturePreset preset, bool sublinear)
    {
        var (model, before) = FitAndFeaturize(s_corpus, preset, sublinear);
        string path = Path.Combine(Path.GetTempPath(), $"featurizer-{Guid.NewGuid():N}.zip");
        try
        {
            model.Save(path);
            var loaded = ItemTextFeaturizerTransformer.Load(new MLContext(seed: 7), path);
            Assert.Equal(model.Vocabulary, loaded.Vocabulary);
            var after = loaded.Featurize(s_corpus, before.Items);
            Assert.Equal(before.Matrix.RowPointers.ToArray(), after.Matrix.RowPointers.ToArray());
            Assert.Equal(before.Matrix.ColumnIndices.ToArray(), after.Matrix.ColumnIndices.ToArray());
            Assert.Equal(before.Matrix.Values.ToArray(), after.Matrix.Values.ToArray()); // bit-identical
            Assert.True(before.Matrix.NonZeroCount > 10);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Plain_mlnet_load_of_the_zip_transforms_like_the_fitted_model()
    {
        var (model, before) = FitAndFeaturize(s_corpus, TextFeaturePreset.Clean);
        using var stream = new MemoryStream();
        model.Save(stream);
        stream.Position = 0;
        var ml = new MLContext();
        ml.ComponentCatalog.RegisterAssembly(typeof(ItemTextFeaturizer).Assembly);
        var chain = ml.Model.Load(stream, out _);
        var output = chain.Transform(ml.Data.LoadFromEnumerable(s_corpus));
        var rows = ReadFeatures(output);
        for (int r = 0; r < s_corpus.Length; r++)
        {
            int item = before.Items.IndexOf(s_corpus[r].ItemId);
            Assert.Equal(before.Matrix.RowIndices(item).ToArray(), rows[r].Indices);
            Assert.Equal(before.Matrix.RowValues(item).ToArray(), rows[r].Values);
        }
    }

    [Theory]
    [InlineData(TextFeaturePreset.Raw)]
    [InlineData(TextFeaturePreset.Clean)]
    public void Empty_article_gets_an_empty_vector_not_nan(TextFeaturePreset preset)
    {
        var articles = s_corpus.Append(Article("empty", "", "", "en")).Append(Article("null", null, null, null))
            .Append(Article("punct", " ... ", "-- !!", "pt")).Append(Article("stop", "the", "of a", "en")).ToArray();
        var (model, features) = FitAndFeaturize(articles, preset);
        Assert.Equal(0, features.Matrix.RowLength(features.Items.IndexOf("empty")));
        Assert.Equal(0, features.Matrix.RowLength(features.Items.IndexOf("null")));
        Assert.Equal(0, features.Matrix.RowLength(features.Items.IndexOf("punct")));
        if (preset == TextFeaturePreset.Clean)
            Assert.Equal(0, features.Matrix.RowLength(features.Items.IndexOf("stop")));
        foreach (float v in features.Matrix.Values) Assert.True(float.IsFinite(v));
        var (indices, values) = model.FoldIn("", null, null);
        Assert.Empty(indices);
        Assert.Empty(values);
    }

    [Fact]
    public void Rows_are_unit_length_and_aligned_with_the_item_map()
    {
        var ml = new MLContext(seed: 1);
        var model = new ItemTextFeaturizer(ml).Fit(s_corpus);
        // "i0" has no article; "i3" is not in the map (ignored); ordinal order of the map is kept.
        var items = new IdMap(["i4", "i0", "i1", "i2"]);
        var features = model.Featurize(s_corpus, items);
        Assert.Equal(4, features.Matrix.Rows);
        Assert.Equal(model.Vocabulary.Count, features.Matrix.Columns);
        Assert.Equal(0, features.Matrix.RowLength(1));
        Assert.Equal(3, features.MatchedArticles);
        Assert.Equal(1, features.IgnoredArticles);
        Assert.Equal(0, features.DuplicateArticles);
        Assert.Contains("kotlin", Row(features, "i4").Keys);
        foreach (int r in new[] { 0, 2, 3 })
        {
            double sq = 0;
            foreach (float v in features.Matrix.RowValues(r)) sq += v * v;
            Assert.Equal(1.0, sq, 5);
        }
    }

    [Fact]
    public void Duplicate_article_ids_keep_the_last_article()
    {
        var articles = new[] { Article("a", "", "first words", "en"), Article("b", "", "other words", "en"), Article("a", "", "second text", "en") };
        var ml = new MLContext(seed: 1);
        var model = new ItemTextFeaturizer(ml).Fit(articles);
        var features = model.Featurize(articles, new IdMap(["a", "b"]));
        Assert.Equal(1, features.DuplicateArticles);
        Assert.Equal(["second", "text"], Row(features, "a").Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(TextFeaturePreset.Raw)]
    [InlineData(TextFeaturePreset.Clean)]
    public void FoldIn_of_a_corpus_article_equals_its_featurized_row(TextFeaturePreset preset)
    {
        var (model, features) = FitAndFeaturize(s_corpus, preset);
        foreach (var a in s_corpus)
        {
            var (indices, values) = model.FoldIn(a.Title, a.Text, a.Lang);
            int row = features.Items.IndexOf(a.ItemId);
            Assert.Equal(features.Matrix.RowIndices(row).ToArray(), indices);
            Assert.Equal(features.Matrix.RowValues(row).ToArray(), values);
        }
    }

    [Fact]
    public void FoldIn_drops_unknown_terms_and_uses_the_fitted_idf()
    {
        var (model, _) = FitAndFeaturize(s_corpus, TextFeaturePreset.Raw);
        // "kotlin" (df 1 of n 4: idf ln(5/2) + 1 = 1.916291) and "learning" (df 1, same idf, tf 2 -> 3.832581);
        // "zebra" is unknown. Normalised: kotlin 1/sqrt(5), learning 2/sqrt(5).
        var (indices, values) = model.FoldIn("Kotlin zebra", "learning learning", "en");
        Assert.Equal(2, indices.Length);
        var byTerm = indices.Select((t, p) => (model.Vocabulary[t], values[p])).ToDictionary(x => x.Item1, x => x.Item2);
        Assert.Equal(1 / Math.Sqrt(5), byTerm["kotlin"], 5);
        Assert.Equal(2 / Math.Sqrt(5), byTerm["learning"], 5);
    }

    [Fact]
    public void TopTerms_orders_by_weight_then_column()
    {
        var articles = new[] { Article("a", "", "apple apple banana cherry", "en"), Article("b", "", "banana cherry", "en") };
        var (_, features) = FitAndFeaturize(articles, TextFeaturePreset.Raw);
        var top = features.TopTerms("a", 2);
        Assert.Equal(2, top.Count);
        Assert.Equal("apple", top[0].Term);
        Assert.Equal("banana", top[1].Term); // banana and cherry tie; banana has the lower column
        Assert.True(top[0].Weight > top[1].Weight);
        Assert.Equal(3, features.TopTerms("a", 10).Count);
        Assert.Throws<ArgumentException>(() => features.TopTerms("zzz", 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => features.TopTerms("a", -1));
    }

    [Fact]
    public void Missing_columns_and_empty_corpus_are_rejected_with_clear_messages()
    {
        var ml = new MLContext(seed: 1);
        var noText = ml.Data.LoadFromEnumerable(new[] { new { ItemId = "a", Title = "t" } });
        var ex = Assert.Throws<ArgumentException>(() => new ItemTextFeaturizer(ml).Fit(noText));
        Assert.Contains("'Text'", ex.Message);
        var noLang = ml.Data.LoadFromEnumerable(new[] { new { ItemId = "a", Title = "t", Text = "xa yb" } });
        Assert.Contains("'Lang'", Assert.Throws<ArgumentException>(() =>
            new ItemTextFeaturizer(ml, new ItemTextFeaturizer.Options { Preset = TextFeaturePreset.Clean }).Fit(noLang)).Message);
        // The raw preset does not need a language column.
        Assert.NotEmpty(new ItemTextFeaturizer(ml).Fit(noLang).Vocabulary);
        Assert.Throws<ArgumentException>(() => new ItemTextFeaturizer(ml).Fit(Array.Empty<ArticleText>()));
        Assert.Contains("vocabulary would be empty", Assert.Throws<ArgumentException>(() => new ItemTextFeaturizer(ml).Fit([Article("a", "x", "", "en")])).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ItemTextFeaturizer(ml, new ItemTextFeaturizer.Options { Preset = (TextFeaturePreset)7 }));
    }

    [Fact]
    public void Output_schema_declares_features_and_term_counts()
    {
        var ml = new MLContext(seed: 1);
        var estimator = new ItemTextFeaturizer(ml, new ItemTextFeaturizer.Options { Preset = TextFeaturePreset.Clean });
        var input = ml.Data.LoadFromEnumerable(s_corpus);
        // SchemaShape.Create(DataViewSchema) is internal in ML.NET 5.0.1; the pipeline machinery calls it the same way.
        var create = typeof(SchemaShape).GetMethod("Create", System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic, [typeof(DataViewSchema)])!;
        var shape = estimator.GetOutputSchema((SchemaShape)create.Invoke(null, [input.Schema])!);
        var names = shape.Select(c => c.Name).ToArray();
        Assert.Contains("Features", names);
        Assert.Contains("TermCounts", names);
        Assert.Contains("ItemId", names);
        Assert.DoesNotContain("DdTerms", names);
        var fitted = estimator.Fit(input).GetOutputSchema(input.Schema);
        Assert.Equal(names.Order(), fitted.Select(c => c.Name).Order());
    }

    [Fact]
    public void Deskdrop_article_record_converts_to_featurizer_input()
    {
        var article = new DeskdropML.Data.Article("42", "CONTENT SHARED", 1L, "Title", "Body", "pt", "http://x");
        var input = ArticleText.From(article);
        Assert.Equal(("42", "Title", "Body", "pt"), (input.ItemId, input.Title, input.Text, input.Lang));
    }

    [Fact]
    public void Featurize_rejects_a_non_text_item_id_column()
    {
        var ml = new MLContext(seed: 1);
        var model = new ItemTextFeaturizer(ml).Fit(s_corpus);
        var numericIds = ml.Data.LoadFromEnumerable(new[] { new { ItemId = 3f, Title = "kotlin", Text = "flows", Lang = "en" } });
        Assert.Contains("must be text", Assert.Throws<ArgumentException>(() => model.Featurize(numericIds, new IdMap(["3"]))).Message);
    }

    internal static List<(int[] Indices, float[] Values)> ReadFeatures(IDataView output)
    {
        var rows = new List<(int[], float[])>();
        var column = output.Schema["Features"];
        using var cursor = output.GetRowCursor(new[] { column });
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        VBuffer<float> v = default;
        while (cursor.MoveNext())
        {
            getter(ref v);
            var idx = new List<int>();
            var val = new List<float>();
            var values = v.GetValues();
            var indices = v.GetIndices();
            for (int p = 0; p < values.Length; p++)
                if (values[p] != 0) { idx.Add(v.IsDense ? p : indices[p]); val.Add(values[p]); }
            rows.Add((idx.ToArray(), val.ToArray()));
        }
        return rows;
    }
}
