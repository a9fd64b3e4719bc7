using DeskdropML.Data;
using DeskdropML.Features;
using DeskdropML.Sparse;

namespace DeskdropML.Benchmarks;

/// <summary>Locates and caches the benchmark data sets.</summary>
public static class BenchmarkData
{
    private static DeskdropBenchmark? _deskdrop;
    private static SyntheticLog? _synthetic;
    private static DeskdropBenchmark? _deskdropText;

    /// <summary>The notebooks-data folder: DESKDROP_DATA, or the first notebooks-data found walking up from here.</summary>
    public static string DeskdropDirectory
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("DESKDROP_DATA");
            if (!string.IsNullOrEmpty(env)) return env;
            foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            {
                for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                {
                    var candidate = Path.Combine(dir.FullName, "notebooks-data");
                    if (Directory.Exists(candidate)) return candidate;
                }
            }
            throw new DirectoryNotFoundException("notebooks-data not found above the working directory (run from the repository or set DESKDROP_DATA)");
        }
    }

    public static DeskdropBenchmark Deskdrop => _deskdrop ??= DeskdropBenchmark.Load(DeskdropDirectory, DeskdropBenchmarkKind.Deskdrop);

    /// <summary>The deskdrop-text benchmark (interactions of articles with text).</summary>
    public static DeskdropBenchmark DeskdropText => _deskdropText ??= DeskdropBenchmark.Load(DeskdropDirectory, DeskdropBenchmarkKind.DeskdropText);

    /// <summary>The clean-preset TF-IDF item features (items x terms) of deskdrop-text, aligned with its item map.</summary>
    public static CsrMatrix DeskdropTextItemFeatures()
    {
        var ml = new Microsoft.ML.MLContext(seed: 1);
        var articles = DeskdropText.Articles.Select(ArticleText.From).ToList();
        var featurizer = new ItemTextFeaturizer(ml, new ItemTextFeaturizer.Options { Preset = TextFeaturePreset.Clean }).Fit(articles);
        return featurizer.Featurize(articles, DeskdropText.Dataset.Items).Matrix;
    }

    public static SyntheticLog Synthetic => _synthetic ??= SyntheticLog.Load(SyntheticLog.DefaultPath);
}
