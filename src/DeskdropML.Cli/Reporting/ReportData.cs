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
}
