using System.Globalization;
using System.Net;
using System.Text;
using ScottPlot;

namespace DeskdropML.Cli.Reporting;

/// <summary>
/// Writes <c>report.html</c>: the results table and charts drawn with ScottPlot (embedded as SVG, so the file is
/// self-contained): metrics per model (grouped bars), learning curves, tuning trials.
/// </summary>
internal static class HtmlReport
{
    private const int Width = 900;
    private const int Height = 420;

    public static void Write(string path, ReportData data)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
            .Append(Enc(data.Title))
            .Append("</title><style>body{font-family:sans-serif;max-width:1000px;margin:2em auto;color:#222}")
            .Append("table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}")
            .Append("td:first-child,td:nth-child(2),td:nth-child(3),th{text-align:left}figure{margin:1.5em 0}</style></head><body>")
            .Append("<h1>").Append(Enc(data.Title)).Append("</h1>");
        foreach (var note in data.Notes) html.Append("<p>").Append(Enc(note)).Append("</p>");

        html.Append("<h2>Results (k = 10, train items excluded)</h2><table><tr><th>task</th><th>model</th><th>benchmark</th>")
            .Append("<th>users</th><th>P@10</th><th>R@10</th><th>NDCG@10</th><th>MAP@10</th><th>fit s</th></tr>");
        foreach (var r in data.Rows)
        {
            html.Append("<tr><td>").Append(Enc(r.Task)).Append("</td><td>").Append(Enc(r.Model)).Append("</td><td>").Append(Enc(r.Benchmark))
                .Append("</td><td>").Append(r.Users.ToString(CultureInfo.InvariantCulture))
                .Append("</td><td>").Append(F(r.Precision)).Append("</td><td>").Append(F(r.Recall))
                .Append("</td><td>").Append(F(r.Ndcg)).Append("</td><td>").Append(F(r.Map))
                .Append("</td><td>").Append(r.FitSeconds.ToString("0.00", CultureInfo.InvariantCulture)).Append("</td></tr>");
        }
        html.Append("</table>");

        if (data.Rows.Count > 0)
            Figure(html, "Metrics per model", MetricBars(data.Rows));
        if (data.LearningCurves.Count > 0)
            Figure(html, "Learning curves (validation precision@10 per epoch)", Lines(data.LearningCurves, "epoch", "validation precision@10", markersOnly: false));
        if (data.TuningTrials.Count > 0)
            Figure(html, "Tuning trials (validation score per trial)", Lines(data.TuningTrials, "trial", "validation NDCG@10", markersOnly: true));
        html.Append("</body></html>");
        File.WriteAllText(path, html.ToString());
    }

    private static void Figure(StringBuilder html, string caption, string svg) =>
        html.Append("<figure>").Append(svg).Append("<figcaption>").Append(Enc(caption)).Append("</figcaption></figure>");

    private static string MetricBars(IReadOnlyList<ResultRow> rows)
    {
        var plot = new Plot();
        string[] metrics = { "P@10", "R@10", "NDCG@10", "MAP@10" };
        var palette = new ScottPlot.Palettes.Category10();
        var bars = new List<Bar>();
        int groups = rows.Count;
        double width = 0.8 / metrics.Length;
        for (int m = 0; m < metrics.Length; m++)
        {
            for (int g = 0; g < groups; g++)
            {
                var r = rows[g];
                double value = m switch { 0 => r.Precision, 1 => r.Recall, 2 => r.Ndcg, _ => r.Map };
                bars.Add(new Bar { Position = g + (m - (metrics.Length - 1) / 2.0) * width, Value = value, FillColor = palette.GetColor(m), Size = width * 0.95 });
            }
        }
        plot.Add.Bars(bars);
        var ticks = new Tick[groups];
        for (int g = 0; g < groups; g++) ticks[g] = new Tick(g, $"{rows[g].Model}\n{rows[g].Benchmark}");
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks);
        for (int m = 0; m < metrics.Length; m++) plot.Legend.ManualItems.Add(new LegendItem { LabelText = metrics[m], FillColor = palette.GetColor(m) });
        plot.ShowLegend(Alignment.UpperLeft);
        plot.Axes.Margins(bottom: 0);
        plot.YLabel("metric value");
        return plot.GetSvgXml(Math.Max(Width, 110 * groups), Height);
    }

    private static string Lines(IReadOnlyList<Series> series, string xLabel, string yLabel, bool markersOnly)
    {
        var plot = new Plot();
        foreach (var s in series)
        {
            var scatter = plot.Add.Scatter(s.X.ToArray(), s.Y.ToArray());
            scatter.LegendText = s.Name;
            if (markersOnly) scatter.LineWidth = 0;
        }
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.ShowLegend(Alignment.LowerRight);
        return plot.GetSvgXml(Width, Height);
    }

    private static string Enc(string s) => WebUtility.HtmlEncode(s);

    private static string F(double v) => v.ToString("0.0000", CultureInfo.InvariantCulture);
}
