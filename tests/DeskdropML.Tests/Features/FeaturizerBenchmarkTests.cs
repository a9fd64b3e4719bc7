using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using DeskdropML.Features;
using DeskdropML.Sparse;
using Microsoft.ML;
using Xunit.Abstractions;

namespace DeskdropML.Tests.Features;

/// <summary>Times the featurizer on the 244 partial Deskdrop articles. Reports numbers; never asserts timing.</summary>
public class FeaturizerBenchmarkTests(ITestOutputHelper output)
{
    private static string ArticlesPath => Path.Combine(TestPaths.NotebooksData, "shared_articles.partial.csv.gz");

    [Fact]
    [Trait("Category", "Benchmark")]
    public void Featurize_partial_deskdrop_articles_with_both_presets()
    {
        if (!File.Exists(ArticlesPath))
        {
            output.WriteLine($"skipped: {ArticlesPath} not found");
            return;
        }
        var articles = ReadSharedArticles(ArticlesPath);
        output.WriteLine($"articles (CONTENT SHARED): {articles.Count}, languages: {string.Join(", ", articles.GroupBy(a => a.Lang).Select(g => $"{g.Key}={g.Count()}"))}");
        Assert.True(articles.Count > 200);
        var items = IdMap.FromIds(articles.Select(a => a.ItemId));
        foreach (var (preset, sublinear) in new[] { (TextFeaturePreset.Raw, false), (TextFeaturePreset.Raw, true), (TextFeaturePreset.Clean, false) })
        {
            var times = new List<double>();
            ItemTextFeatures? features = null;
            for (int run = 0; run < 3; run++)
            {
                var watch = Stopwatch.StartNew();
                var model = new ItemTextFeaturizer(new MLContext(seed: 1), new ItemTextFeaturizer.Options { Preset = preset, SublinearTf = sublinear }).Fit(articles);
                features = model.Featurize(articles, items);
                times.Add(watch.Elapsed.TotalSeconds);
            }
            Assert.NotNull(features);
            Assert.Equal(items.Count, features!.MatchedArticles);
            output.WriteLine($"{preset} sublinear={sublinear}: fit+featurize seconds (3 runs) {string.Join(" / ", times.Select(t => t.ToString("F3")))}; " +
                $"vocabulary {features.Vocabulary.Count}, non-zeros {features.Matrix.NonZeroCount}, duplicates {features.DuplicateArticles}, " +
                $"top terms of {items[0]}: {string.Join(" ", features.TopTerms(items[0], 5).Select(t => t.Term))}");
        }
    }

    /// <summary>Throwaway RFC 4180 reader for the test only (quoted fields with commas, quotes and newlines).</summary>
    internal static List<ArticleText> ReadSharedArticles(string path)
    {
        using var stream = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        string content = reader.ReadToEnd();
        var records = ParseCsv(content);
        var header = records[0];
        int Col(string name) => Array.IndexOf(header, name);
        int eventType = Col("eventType"), id = Col("contentId"), title = Col("title"), text = Col("text"), lang = Col("lang");
        var result = new List<ArticleText>();
        foreach (var r in records.Skip(1))
        {
            if (r.Length != header.Length || r[eventType] != "CONTENT SHARED") continue;
            result.Add(new ArticleText { ItemId = r[id], Title = r[title], Text = r[text], Lang = r[lang] });
        }
        return result;
    }

    private static List<string[]> ParseCsv(string s)
    {
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < s.Length && s[i + 1] == '"') { field.Append('"'); i++; }
                    else quoted = false;
                }
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(field.ToString()); field.Clear(); }
            else if (c == '\n' || c == '\r')
            {
                if (c == '\r' && i + 1 < s.Length && s[i + 1] == '\n') i++;
                fields.Add(field.ToString()); field.Clear();
                records.Add(fields.ToArray()); fields.Clear();
            }
            else field.Append(c);
        }
        if (field.Length > 0 || fields.Count > 0) { fields.Add(field.ToString()); records.Add(fields.ToArray()); }
        return records;
    }
}
