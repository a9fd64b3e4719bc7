namespace DeskdropML.Cli.Reporting;

/// <summary>One row of the results table: a model evaluated on a benchmark.</summary>
internal sealed record ResultRow(string Task, string Model, string Benchmark, double Precision, double Recall, double Ndcg, double Map, double FitSeconds, int Users);

/// <summary>A named series of (x, y) points, e.g. validation precision@10 per epoch.</summary>
internal sealed record Series(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y);

/// <summary>Everything the HTML report shows.</summary>
internal sealed class ReportData
{
    public string Title { get; init; } = "DeskdropML — reproduce";
    public List<string> Notes { get; } = new();
    public List<ResultRow> Rows { get; } = new();
    public List<Series> LearningCurves { get; } = new();
    public List<Series> TuningTrials { get; } = new();

    /// <summary>Leak-free backtest sections, shown first.</summary>
    public List<LeakFreeSection> LeakFree { get; } = new();
}

/// <summary>One model of a leak-free backtest: NDCG@10 with its 95% interval, recall, the paired difference to the reference.</summary>
internal sealed record LeakFreeRow(string Model, double Ndcg, double Low, double High, double Recall, double Diff, double DiffLow, double DiffHigh, double FitSeconds);

/// <summary>A backtest (one fold length) with every model, the reference (best recency baseline) and NDCG per fold.</summary>
internal sealed class LeakFreeSection(string title, string reference, double foldDays, int folds, int units)
{
    public string Title { get; } = title;
    public string Reference { get; } = reference;
    public double FoldDays { get; } = foldDays;
    public int Folds { get; } = folds;
    public int Units { get; } = units;
    public List<LeakFreeRow> Rows { get; } = new();

    /// <summary>Mean NDCG@10 of each fold per model (NaN for a fold without units).</summary>
    public Dictionary<string, double[]> PerFold { get; } = new();

    /// <summary>Fold start times (Unix seconds).</summary>
    public double[] FoldStarts { get; set; } = Array.Empty<double>();
}
