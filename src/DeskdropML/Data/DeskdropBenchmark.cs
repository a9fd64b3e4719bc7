namespace DeskdropML.Data;

/// <summary>The two Deskdrop benchmarks of the design document.</summary>
public enum DeskdropBenchmarkKind
{
    /// <summary>All interactions (72,312 rows; 1,140 users x 2,984 items after the rules).</summary>
    Deskdrop,

    /// <summary>
    /// Only interactions whose item has a <c>CONTENT SHARED</c> article with non-empty text, then the same
    /// rules (with the partial article file: 705 users x 242 items).
    /// </summary>
    DeskdropText,
}

/// <summary>A loaded Deskdrop benchmark: the log, the articles and the train/test dataset.</summary>
public sealed class DeskdropBenchmark
{
    /// <summary>File names looked for in the data folder, in order of preference.</summary>
    public static readonly IReadOnlyList<string> InteractionFileNames = new[] { "users_interactions.csv", "users_interactions.csv.gz" };

    /// <summary>Article file names in order of preference: the full Kaggle file first, then the partial copy.</summary>
    public static readonly IReadOnlyList<string> ArticleFileNames = new[] { "shared_articles.csv", "shared_articles.csv.gz", "shared_articles.partial.csv.gz", "shared_articles.partial.csv" };

    private DeskdropBenchmark(DeskdropBenchmarkKind kind, InteractionLog log, IReadOnlyList<Article> articles, LoadReport? articleReport, string? articleFile, InteractionDataset dataset)
    {
        Kind = kind;
        Log = log;
        Articles = articles;
        ArticleReport = articleReport;
        ArticleFile = articleFile;
        Dataset = dataset;
    }

    /// <summary>Which benchmark this is.</summary>
    public DeskdropBenchmarkKind Kind { get; }

    /// <summary>The interaction rows the dataset was built from (after the text restriction for <c>deskdrop-text</c>).</summary>
    public InteractionLog Log { get; }

    /// <summary>The <c>CONTENT SHARED</c> articles (empty when no article file was found and none was needed).</summary>
    public IReadOnlyList<Article> Articles { get; }

    /// <summary>What the article loader read, or null when no article file was found.</summary>
    public LoadReport? ArticleReport { get; }

    /// <summary>The article file used, or null.</summary>
    public string? ArticleFile { get; }

    /// <summary>Train and test matrices.</summary>
    public InteractionDataset Dataset { get; }

    /// <summary>The benchmark's name on the command line (<c>deskdrop</c> or <c>deskdrop-text</c>).</summary>
    public string Name => NameOf(Kind);

    /// <summary>The command-line name of a benchmark kind.</summary>
    public static string NameOf(DeskdropBenchmarkKind kind) => kind == DeskdropBenchmarkKind.Deskdrop ? "deskdrop" : "deskdrop-text";

    /// <summary>Parses <c>deskdrop</c> or <c>deskdrop-text</c>.</summary>
    public static DeskdropBenchmarkKind ParseKind(string name) => name switch
    {
        "deskdrop" => DeskdropBenchmarkKind.Deskdrop,
        "deskdrop-text" => DeskdropBenchmarkKind.DeskdropText,
        _ => throw new ArgumentException($"Unknown benchmark '{name}' (known: deskdrop, deskdrop-text).", nameof(name)),
    };

    /// <summary>
    /// Loads a benchmark from a folder holding <c>users_interactions.csv[.gz]</c> and (needed for
    /// <c>deskdrop-text</c>, optional otherwise) <c>shared_articles.csv[.gz]</c> or the partial copy.
    /// </summary>
    /// <param name="dataDirectory">The folder (for example <c>notebooks-data</c>).</param>
    /// <param name="kind">Which benchmark.</param>
    /// <param name="options">Dataset rules; default: at least 5 items per user, split at 1475519530.</param>
    public static DeskdropBenchmark Load(string dataDirectory, DeskdropBenchmarkKind kind, DatasetOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataDirectory);
        if (!Directory.Exists(dataDirectory))
            throw new DataFormatException(dataDirectory, 0, null, "data folder not found");
        string interactions = FindFile(dataDirectory, InteractionFileNames)
            ?? throw new DataFormatException(Path.Combine(dataDirectory, InteractionFileNames[0]), 0, null,
                $"file not found (looked for {string.Join(" and ", InteractionFileNames)} in {dataDirectory})");
        string? articleFile = FindArticleFile(dataDirectory);
        if (kind == DeskdropBenchmarkKind.DeskdropText && articleFile is null)
            throw new DataFormatException(Path.Combine(dataDirectory, ArticleFileNames[0]), 0, null,
                $"the deskdrop-text benchmark needs an article file (one of {string.Join(", ", ArticleFileNames)}) in {dataDirectory}");

        var log = InteractionCsvLoader.Load(interactions, InteractionCsvOptions.Deskdrop());
        IReadOnlyList<Article> articles = Array.Empty<Article>();
        LoadReport? articleReport = null;
        if (articleFile is not null)
            (articles, articleReport) = ArticleCsvLoader.Load(articleFile);

        if (kind == DeskdropBenchmarkKind.DeskdropText)
        {
            var withText = new HashSet<string>(StringComparer.Ordinal);
            foreach (var a in articles) if (a.HasText) withText.Add(a.ContentId);
            log = log.FilterItems(withText.Contains, "item has no CONTENT SHARED article with text (deskdrop-text)");
        }
        options ??= new DatasetOptions { SplitTime = DatasetOptions.DeskdropSplitTime };
        var dataset = InteractionDataset.Build(log, options);
        return new DeskdropBenchmark(kind, log, articles, articleReport, articleFile, dataset);
    }

    /// <summary>The article file a folder holds, in the order of <see cref="ArticleFileNames"/> (full file first), or null.</summary>
    public static string? FindArticleFile(string dataDirectory) => FindFile(dataDirectory, ArticleFileNames);

    private static string? FindFile(string directory, IReadOnlyList<string> names)
    {
        foreach (var name in names)
        {
            string path = Path.Combine(directory, name);
            if (File.Exists(path)) return path;
        }
        return null;
    }
}
