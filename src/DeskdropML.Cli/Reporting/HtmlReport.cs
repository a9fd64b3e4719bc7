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
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        foreach (var section in data.LeakFree) LeakFree(html, section, folder);

        html.Append("<h2>Notebook protocol (time split, catalog candidates: leaky, see DESIGN section 7) — k = 10, train items excluded</h2><table><tr><th>task</th><th>model</th><th>benchmark</th>")
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

        // Each chart is embedded as SVG and also written as a PNG beside the report (for READMEs and slides).
        foreach (var group in data.Rows.GroupBy(r => r.Benchmark))
            Figure(html, $"Metrics per model on {group.Key}", MetricBars(group.ToList()), Path.Combine(folder, $"metrics-{group.Key}.png"), 60 + 28 * group.Count());
        if (data.LearningCurves.Count > 0)
            Figure(html, "Learning curves (validation precision@10 per epoch)", Lines(data.LearningCurves, "epoch", "validation precision@10", markersOnly: false), Path.Combine(folder, "learning-curve.png"));
        if (data.TuningTrials.Count > 0)
            Figure(html, "Tuning trials (validation score per trial)", Lines(data.TuningTrials, "trial", "validation NDCG@10", markersOnly: true), Path.Combine(folder, "tuning-trials.png"));
        html.Append("</body></html>");
        DeskdropML.Persistence.AtomicFile.WriteAllText(path, html.ToString());
    }

    private static void Figure(StringBuilder html, string caption, (Plot Plot, int Width) chart, string pngPath, int? height = null)
    {
        int h = Math.Max(Height, height ?? Height);
        DeskdropML.Persistence.AtomicFile.WriteAllBytes(pngPath, chart.Plot.GetImageBytes(chart.Width, h, ImageFormat.Png));
        html.Append("<figure>").Append(chart.Plot.GetSvgXml(chart.Width, h)).Append("<figcaption>").Append(Enc(caption)).Append("</figcaption></figure>");
    }

    /// <summary>Horizontal grouped bars (P@10, R@10, NDCG@10 per model) for one benchmark, best NDCG at the top.</summary>
    private static (Plot, int) MetricBars(IReadOnlyList<ResultRow> rows)
    {
        var plot = new Plot();
        string[] metrics = { "P@10", "R@10", "NDCG@10" };
        var palette = new ScottPlot.Palettes.Category10();
        var ordered = rows.OrderBy(r => r.Ndcg).ToList();
        var bars = new List<Bar>();
        double width = 0.8 / metrics.Length;
        for (int g = 0; g < ordered.Count; g++)
        {
            var r = ordered[g];
            for (int m = 0; m < metrics.Length; m++)
            {
                double value = m switch { 0 => r.Precision, 1 => r.Recall, _ => r.Ndcg };
                bars.Add(new Bar { Position = g + (m - (metrics.Length - 1) / 2.0) * width, Value = value, FillColor = palette.GetColor(m), Size = width * 0.95, Orientation = Orientation.Horizontal });
            }
        }
        plot.Add.Bars(bars);
        var ticks = new Tick[ordered.Count];
        for (int g = 0; g < ordered.Count; g++) ticks[g] = new Tick(g, ordered[g].Model);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks);
        plot.Axes.Left.MajorTickStyle.Length = 0;
        for (int m = 0; m < metrics.Length; m++) plot.Legend.ManualItems.Add(new LegendItem { LabelText = metrics[m], FillColor = palette.GetColor(m) });
        plot.ShowLegend(Alignment.LowerRight);
        plot.Axes.Margins(left: 0);
        plot.XLabel("metric value (k = 10)");
        plot.Title(ordered.Count > 0 ? ordered[0].Benchmark : "");
        return (plot, Width);
    }

    /// <summary>A leak-free backtest: table (NDCG@10 with 95% CI, paired difference to the reference), bars with CI whiskers, NDCG per fold.</summary>
    private static void LeakFree(StringBuilder html, LeakFreeSection s, string folder)
    {
        string slug = s.FoldDays == 1 ? "daily" : s.FoldDays == 7 ? "weekly" : $"{s.FoldDays.ToString(CultureInfo.InvariantCulture)}d";
        html.Append("<h2>Leak-free backtest: ").Append(Enc(s.Title)).Append("</h2><p>")
            .Append(Enc($"Rolling origin, folds of {s.FoldDays.ToString(CultureInfo.InvariantCulture)} day(s) from the split; each fold trains on the events before its start; " +
                $"candidates = items seen before the fold (seen); relevant = the user's new items in the fold; k = 10; {s.Folds} folds, {s.Units:N0} (user, fold) units. " +
                $"Intervals: 95% bootstrap over units; differences are paired on the same units, against the best recency baseline ({s.Reference})."))
            .Append("</p><table><tr><th>model</th><th>NDCG@10</th><th>95% CI</th><th>R@10</th><th>vs ").Append(Enc(s.Reference))
            .Append(" (paired)</th><th>fit s</th></tr>");
        foreach (var r in s.Rows.OrderByDescending(r => r.Ndcg))
            html.Append("<tr><td>").Append(Enc(r.Model)).Append("</td><td>").Append(F(r.Ndcg)).Append("</td><td>[").Append(F(r.Low)).Append(", ").Append(F(r.High))
                .Append("]</td><td>").Append(F(r.Recall)).Append("</td><td>").Append(r.Diff >= 0 ? "+" : "").Append(F(r.Diff)).Append(" [").Append(F(r.DiffLow)).Append(", ").Append(F(r.DiffHigh))
                .Append("]</td><td>").Append(r.FitSeconds.ToString("0.0", CultureInfo.InvariantCulture)).Append("</td></tr>");
        html.Append("</table>");
        Figure(html, $"NDCG@10 with 95% intervals, {s.Title}", CiBars(s), Path.Combine(folder, $"leak-free-{slug}.png"), 60 + 28 * s.Rows.Count);
        Figure(html, $"NDCG@10 per fold over time, {s.Title} (top models and the reference{(s.FoldDays < 7 ? "; 7-fold moving average" : "")})", PerFold(s), Path.Combine(folder, $"leak-free-{slug}-per-fold.png"));
    }

    private static (Plot, int) CiBars(LeakFreeSection s)
    {
        var plot = new Plot();
        var ordered = s.Rows.OrderBy(r => r.Ndcg).ToList();
        var palette = new ScottPlot.Palettes.Category10();
        var bars = new List<Bar>();
        for (int g = 0; g < ordered.Count; g++)
        {
            var r = ordered[g];
            var color = r.Model == s.Reference ? palette.GetColor(1) : r.Model.StartsWith("two-stage", StringComparison.Ordinal) ? palette.GetColor(2) : palette.GetColor(0);
            bars.Add(new Bar { Position = g, Value = r.Ndcg, FillColor = color, Size = 0.7, Orientation = Orientation.Horizontal });
        }
        plot.Add.Bars(bars);
        for (int g = 0; g < ordered.Count; g++)
        {
            var r = ordered[g];
            var whisker = plot.Add.Line(r.Low, g, r.High, g);
            whisker.Color = Colors.Black;
            whisker.LineWidth = 1.5f;
            foreach (double x in new[] { r.Low, r.High })
            {
                var cap = plot.Add.Line(x, g - 0.2, x, g + 0.2);
                cap.Color = Colors.Black;
            }
        }
        var ticks = new Tick[ordered.Count];
        for (int g = 0; g < ordered.Count; g++) ticks[g] = new Tick(g, ordered[g].Model);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks);
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Axes.Margins(left: 0);
        plot.XLabel("NDCG@10 (95% bootstrap interval)");
        plot.Title(s.Title);
        return (plot, Width);
    }

    private static (Plot, int) PerFold(LeakFreeSection s)
    {
        var plot = new Plot();
        var top = s.Rows.OrderByDescending(r => r.Ndcg).Select(r => r.Model).Take(3).ToList();
        if (!top.Contains(s.Reference)) top.Add(s.Reference);
        int window = s.FoldDays < 7 ? 7 : 1;
        double split = s.FoldStarts.Length > 0 ? s.FoldStarts[0] : 0;
        foreach (var model in top)
        {
            var values = s.PerFold[model];
            var xs = new List<double>();
            var ys = new List<double>();
            for (int f = 0; f < values.Length; f++)
            {
                double sum = 0;
                int n = 0;
                for (int j = Math.Max(0, f - window + 1); j <= f; j++) if (!double.IsNaN(values[j])) { sum += values[j]; n++; }
                if (n == 0) continue;
                xs.Add((s.FoldStarts[f] - split) / 86400.0);
                ys.Add(sum / n);
            }
            var line = plot.Add.Scatter(xs.ToArray(), ys.ToArray());
            line.LegendText = model;
            line.MarkerSize = 3;
        }
        plot.XLabel("days since the split (fold start)");
        plot.YLabel("NDCG@10 of the fold");
        plot.ShowLegend(Alignment.LowerLeft);
        return (plot, Width);
    }

    private static (Plot, int) Lines(IReadOnlyList<Series> series, string xLabel, string yLabel, bool markersOnly)
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
        return (plot, Width);
    }

    private static string Enc(string s) => WebUtility.HtmlEncode(s);

    private static string F(double v) => v.ToString("0.0000", CultureInfo.InvariantCulture);
}
