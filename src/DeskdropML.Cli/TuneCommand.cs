using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using DeskdropML.Cli.Models;
using DeskdropML.Tuning;
using Spectre.Console;

namespace DeskdropML.Cli;

/// <summary>
/// <c>deskdrop tune</c>: seeded random search with successive halving, scored on a validation split carved from
/// the train pairs by time; the winner is retrained on all train pairs and evaluated on test once.
/// </summary>
internal static class TuneCommand
{
    /// <summary>Successive-halving reduction factor (the tuner's and the progress bar's schedule must agree).</summary>
    private const int Eta = 3;

    public static Command Create()
    {
        var common = new CommonOptions();
        var registry = ModelRegistry.CreateDefault();
        var model = new Option<string>("--model") { Description = string.Join(" | ", registry.TunableNames), DefaultValueFactory = _ => "warp" };
        var trials = new Option<int>("--trials") { Description = "Candidates drawn from the search space", DefaultValueFactory = _ => 27 };
        var metric = new Option<string>("--metric") { Description = "Validation metric: ndcg | precision | recall | map", DefaultValueFactory = _ => "ndcg" };
        var fraction = new Option<double>("--validation-fraction") { Description = "Last fraction of the train time span used for validation", DefaultValueFactory = _ => 0.2 };
        var noHalving = new Option<bool>("--no-halving") { Description = "Plain random search: every candidate at the full budget" };
        var command = new Command("tune", "Tune a model (warp, als, itemknn, ease, svd) on a validation split carved from train (never on test); report the winner's test metrics.");
        common.AddTo(command);
        foreach (var o in new Option[] { model, trials, metric, fraction, noHalving }) command.Options.Add(o);
        command.SetAction(parsed =>
        {
            var output = new Output(parsed.GetValue(common.Json));
            string name = parsed.GetValue(model)!;
            var tunable = registry.Tunable(name)
                ?? throw new CliUsageException($"--model must be one of {string.Join(", ", registry.TunableNames)} for tune (got '{name}')");
            int n = parsed.GetValue(trials);
            if (n < 1) throw new CliUsageException($"--trials must be >= 1 (got {n})");
            double f = parsed.GetValue(fraction);
            if (!(f > 0 && f < 1)) throw new CliUsageException($"--validation-fraction must be in (0, 1) (got {f.ToString(CultureInfo.InvariantCulture)})");
            var tuningMetric = parsed.GetValue(metric) switch
            {
                "ndcg" => TuningMetric.Ndcg,
                "precision" => TuningMetric.Precision,
                "recall" => TuningMetric.Recall,
                "map" => TuningMetric.Map,
                var other => throw new CliUsageException($"--metric must be ndcg, precision, recall or map (got '{other}')"),
            };
            int threads = common.GetThreads(parsed);
            var data = common.Load(parsed, output);
            var result = Run(tunable, data.Dataset, n, parsed.GetValue(common.Seed), threads, tuningMetric, f, !parsed.GetValue(noHalving), output);
            var json = result.ToJson(tunable.Name);
            json["benchmark"] = data.Name;
            json["budget_name"] = tunable.BudgetName;
            output.WriteJson(json);
            return 0;
        });
        return command;
    }

    /// <summary>Runs the tuner with a progress display and prints the trials table on stderr.</summary>
    public static TuningResult Run(ITunableModel tunable, Data.InteractionDataset dataset, int trials, int seed, int threads,
        TuningMetric metric, double validationFraction, bool halving, Output output, int? minBudget = null, int? maxBudget = null)
    {
        var tuner = new HyperparameterTuner(new HyperparameterTuner.Options
        {
            Trials = trials,
            Seed = seed,
            Metric = metric,
            ValidationFraction = validationFraction,
            SuccessiveHalving = halving,
            MinBudget = minBudget ?? tunable.MinBudget,
            MaxBudget = maxBudget ?? tunable.MaxBudget,
            Eta = Eta,
            NumberOfThreads = threads,
        });
        int min = minBudget ?? tunable.MinBudget, max = maxBudget ?? tunable.MaxBudget;
        var schedule = halving ? SuccessiveHalvingSchedule.Halving(trials, min, max, Eta) : SuccessiveHalvingSchedule.RandomSearch(trials, max);
        var result = output.Progress($"Tuning {tunable.Name} ({schedule.TotalTrials} trials)", schedule.TotalTrials, report =>
            tuner.Tune(dataset, tunable.Space, tunable.TrialFit(threads), new SyncProgress<TuningProgress>(p =>
                report(p.Trial, $"trial {p.Trial}: rung {p.Rung}, {tunable.BudgetName} {p.Budget}, validation " +
                    $"{p.ValidationScore.ToString("0.0000", CultureInfo.InvariantCulture)} ({p.Parameters})"))));
        var table = new Table().Title($"{tunable.Name}: selected on validation").AddColumn("").AddColumn(new TableColumn("P@10").RightAligned())
            .AddColumn(new TableColumn("R@10").RightAligned()).AddColumn(new TableColumn("NDCG@10").RightAligned()).AddColumn(new TableColumn("MAP@10").RightAligned());
        table.AddRow("validation (best)", MetricsJson.F(result.Validation.Precision), MetricsJson.F(result.Validation.Recall), MetricsJson.F(result.Validation.Ndcg), MetricsJson.F(result.Validation.Map));
        table.AddRow("test (once)", MetricsJson.F(result.Test.Precision), MetricsJson.F(result.Test.Recall), MetricsJson.F(result.Test.Ndcg), MetricsJson.F(result.Test.Map));
        output.Human.Write(table);
        output.Human.MarkupLine($"best: {Markup.Escape(result.BestParameters.ToString())}, {tunable.BudgetName} {result.Best.Budget}");
        return result;
    }
}
