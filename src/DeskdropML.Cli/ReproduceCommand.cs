using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using DeskdropML.Cli.Reporting;
using DeskdropML.Cli.Reproduce;
using DeskdropML.Data;
using Spectre.Console;

namespace DeskdropML.Cli;

/// <summary>
/// <c>deskdrop reproduce</c>: every task of the Deskdrop notebook end to end, with a results table on stderr and
/// results.json (every number), model zips and report.html in the <c>--out</c> folder; <c>--json</c> also prints
/// results.json on stdout, as every command's <c>--json</c> does.
/// </summary>
internal static class ReproduceCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Folder holding the Deskdrop files", DefaultValueFactory = _ => "notebooks-data" };
        var json = new Option<bool>("--json") { Description = "Also print results.json on stdout (human output and progress go to stderr)" };
        var outDir = new Option<string>("--out") { Description = "Output folder for results.json, model zips and report.html", DefaultValueFactory = _ => "reproduce-out" };
        var quick = new Option<bool>("--quick") { Description = "Reduced run (fewer epochs, trials and seeds; under a minute) used by CI" };
        var seed = new Option<int>("--seed") { Description = "Base random seed", DefaultValueFactory = _ => CommonOptions.DefaultSeed };
        var threads = new Option<int>("--threads") { Description = "Worker threads for fitting and evaluation", DefaultValueFactory = _ => Environment.ProcessorCount };
        var command = new Command("reproduce", "Run every notebook task end to end and write a results table, a JSON file, model zips and report.html.");
        foreach (var o in new Option[] { data, json, outDir, quick, seed, threads }) command.Options.Add(o);
        command.SetAction(parsed =>
        {
            int t = parsed.GetValue(threads);
            if (t is < 1 or > CommonOptions.MaxThreads) throw new CliUsageException($"--threads must be in [1, {CommonOptions.MaxThreads}] (got {t})");
            var output = new Output(parsed.GetValue(json));
            string dir = parsed.GetValue(outDir)!;
            // Every output is checked before the run (the run takes minutes): the folder (results.json, report.html,
            // charts and zips are written into it), which must not be the data folder.
            string dataDir = parsed.GetValue(data)!;
            if (!Directory.Exists(dataDir)) throw new CliUsageException($"--data: folder '{dataDir}' not found");
            var inputs = Directory.EnumerateFiles(dataDir).ToList();
            OutputPaths.CheckFolder("--out", dir);
            foreach (var file in ReportFiles(dir).Append(Path.Combine(dir, "results.json")))
                OutputPaths.CheckFile("--out", file, inputs);
            var context = new ReproduceContext(parsed.GetValue(data)!, dir, parsed.GetValue(quick), parsed.GetValue(seed), t, output);
            var total = Stopwatch.StartNew();
            var tasks = ReproduceTasks.All;
            for (int i = 0; i < tasks.Count; i++)
            {
                var task = tasks[i];
                output.Human.MarkupLine($"[bold][[{i + 1}/{tasks.Count}]][/] {Markup.Escape(task.Title)}");
                var sw = Stopwatch.StartNew();
                var result = task.Run(context);
                result["seconds"] = Math.Round(sw.Elapsed.TotalSeconds, 3);
                context.Tasks[task.Key] = result;
                output.Human.MarkupLine($"      [grey]done in {sw.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s[/]");
            }
            total.Stop();

            WriteTable(output.Human, context.Report.Rows);
            context.Report.Notes.Add($"Command: deskdrop reproduce{(context.Quick ? " --quick" : "")} --seed {context.Seed} --threads {context.Threads}; " +
                $"{Environment.ProcessorCount} cores, {RuntimeInformationText()}; total {total.Elapsed.TotalSeconds:0.0} s.");
            string reportPath = Path.Combine(dir, "report.html");
            HtmlReport.Write(reportPath, context.Report);
            output.Human.MarkupLine($"Report: {Markup.Escape(reportPath)}; total {total.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s");

            var root = new JsonObject
            {
                ["quick"] = context.Quick,
                ["seed"] = context.Seed,
                ["threads"] = context.Threads,
                ["total_seconds"] = Math.Round(total.Elapsed.TotalSeconds, 3),
                ["tasks"] = context.Tasks,
                ["results"] = new JsonArray(context.Report.Rows.Select(r => (JsonNode)new JsonObject
                {
                    ["task"] = r.Task, ["model"] = r.Model, ["benchmark"] = r.Benchmark, ["users_evaluated"] = r.Users,
                    ["precision"] = r.Precision, ["recall"] = r.Recall, ["ndcg"] = r.Ndcg, ["map"] = r.Map, ["fit_seconds"] = r.FitSeconds,
                }).ToArray()),
                ["report"] = reportPath,
            };
            string jsonPath = Path.Combine(dir, "results.json");
            DeskdropML.Persistence.AtomicFile.WriteAllText(jsonPath, JsonNumbers.Round(root).ToJsonString(Output.JsonOptions));
            output.Human.MarkupLine($"JSON: {Markup.Escape(jsonPath)}");
            output.WriteJson(root);
            return 0;
        });
        return command;
    }

    /// <summary>The files a run writes into its output folder (zips, report, charts).</summary>
    private static IEnumerable<string> ReportFiles(string dir) =>
        new[] { "report.html", "warp.zip", "tuned-warp.zip", "als.zip", "tuned-als.zip", "ffm.zip", "learning-curve.png", "tuning-trials.png",
            "metrics-deskdrop.png", "metrics-deskdrop-text.png" }.Select(f => Path.Combine(dir, f));

    private static string RuntimeInformationText() => System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription;

    private static void WriteTable(IAnsiConsole console, IReadOnlyList<ResultRow> rows)
    {
        var table = new Table().Title("Results (k = 10, train items excluded)").AddColumn("task").AddColumn("model").AddColumn("benchmark");
        foreach (var c in new[] { "P@10", "R@10", "NDCG@10", "MAP@10", "fit s" }) table.AddColumn(new TableColumn(c).RightAligned());
        foreach (var r in rows)
            table.AddRow(Markup.Escape(r.Task), Markup.Escape(r.Model), Markup.Escape(r.Benchmark), MetricsJson.F(r.Precision), MetricsJson.F(r.Recall),
                MetricsJson.F(r.Ndcg), MetricsJson.F(r.Map), r.FitSeconds.ToString("0.00", CultureInfo.InvariantCulture));
        console.Write(table);
    }
}
