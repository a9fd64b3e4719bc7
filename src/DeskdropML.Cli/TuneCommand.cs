using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using DeskdropML.Cli.Models;
using DeskdropML.Tuning;
using DeskdropML.Evaluation.Protocols;
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

    /// <summary>The largest --trials accepted (the schedule and the candidate list are held in memory).</summary>
    private const int MaxTrials = 1_000_000;

    public static Command Create()
    {
        var common = new CommonOptions();
        var protocolOptions = new ProtocolOptions();
        var registry = ModelRegistry.CreateDefault();
        var model = new Option<string>("--model") { Description = string.Join(" | ", registry.TunableNames), DefaultValueFactory = _ => "warp" };
        var trials = new Option<int>("--trials") { Description = "Candidates drawn from the search space (successive halving refits the best third at 3x the budget, so more fits run than candidates; see --no-halving)", DefaultValueFactory = _ => 27 };
        var metric = new Option<string>("--metric") { Description = "Validation metric: ndcg | precision | recall | map", DefaultValueFactory = _ => "ndcg" };
        var fraction = new Option<double>("--validation-fraction") { Description = "Last fraction of the train time span used for validation", DefaultValueFactory = _ => 0.2 };
        var noHalving = new Option<bool>("--no-halving") { Description = "Plain random search: every candidate at the full budget" };
        var command = new Command("tune", "Tune a model (warp, als, itemknn, ease, svd, two-stage) on a validation split carved from train (never on test); report the winner's test metrics.");
        common.AddTo(command);
        protocolOptions.AddTo(command);
        foreach (var o in new Option[] { model, trials, metric, fraction, noHalving }) command.Options.Add(o);
        command.SetAction(parsed =>
        {
            var output = new Output(parsed.GetValue(common.Json));
            string name = parsed.GetValue(model)!;
            var tunable = registry.Tunable(name)
                ?? throw new CliUsageException($"--model must be one of {string.Join(", ", registry.TunableNames)} for tune (got '{name}')");
            int n = parsed.GetValue(trials);
            if (n is < 1 or > MaxTrials) throw new CliUsageException($"--trials must be in [1, {MaxTrials:N0}] (got {n})");
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
            var data = common.Load(parsed, output, evaluating: parsed.GetValue(protocolOptions.Protocol) == "time", fractionIsPerUser: protocolOptions.FractionIsPerUser(parsed));
            int seed = parsed.GetValue(common.Seed);
            bool notebook = parsed.GetValue(protocolOptions.Protocol) == "time" && protocolOptions.Policy(parsed) == Evaluation.Protocols.CandidatePolicy.Catalog;
            JsonObject json;
            if (notebook)
            {
                var carved = data.Dataset.CarveValidation(f);
                if (carved.Train.NonZeroCount == 0 || carved.Test.NonZeroCount == 0)
                    throw new CliUsageException($"--validation-fraction {f.ToString(CultureInfo.InvariantCulture)}: the validation split carved from the " +
                        $"{data.Dataset.Summary.TrainPairs:N0} train pairs by time leaves {carved.Train.NonZeroCount:N0} train and {carved.Test.NonZeroCount:N0} validation pairs; both must be non-empty");
                var result = Run(tunable, data.Dataset, n, seed, threads, tuningMetric, f, !parsed.GetValue(noHalving), output);
                json = result.ToJson(tunable.Name);
                json["protocol"] = "time";
                json["candidates"] = Evaluation.Protocols.CandidatePolicy.Catalog.ToLabel();
            }
            else
            {
                var setup = protocolOptions.Setup(parsed, data, seed, data.TestFraction, output);
                var validation = setup.Protocol is Evaluation.Protocols.TimeSplitProtocol
                    ? new Evaluation.Protocols.TimeSplitProtocol(data.Dataset.Summary.SplitTime, f).ValidationFolds(setup.History, setup.Policy)
                    : setup.Protocol.ValidationFolds(setup.History, setup.Policy);
                var tuned = RunOnFolds(tunable, validation, setup, n, seed, threads, tuningMetric, !parsed.GetValue(noHalving), output);
                json = tuned.Tuning.ToJson(tunable.Name);
                json["validation_folds"] = validation.Count;
                MetricsJson.AddProtocol(json, tuned.Test);
            }
            json["benchmark"] = data.Name;
            json["budget_name"] = tunable.BudgetName;
            output.WriteJson(json);
            return 0;
        });
        return command;
    }

    /// <summary>Tunes on a protocol's validation folds, then evaluates the winner once on its test folds.</summary>
    public static ProtocolTuningResult RunOnFolds(ITunableModel tunable, IReadOnlyList<Evaluation.Protocols.EvaluationFold> validation, ProtocolSetup setup,
        int trials, int seed, int threads, TuningMetric metric, bool halving, Output output)
    {
        var tuner = new HyperparameterTuner(new HyperparameterTuner.Options
        {
            Trials = trials, Seed = seed, Metric = metric, SuccessiveHalving = halving,
            MinBudget = tunable.MinBudget, MaxBudget = tunable.MaxBudget, Eta = Eta, NumberOfThreads = threads,
        });
        var result = output.Progress($"Tuning {tunable.Name} on {validation.Count} validation fold(s) ({tuner.Schedule.TotalTrials} trials)", tuner.Schedule.TotalTrials, report =>
            tuner.Tune(validation, setup.Folds, setup.Protocol.Name, tunable.Space, tunable.TrialFit(threads), new SyncProgress<TuningProgress>(p =>
                report(p.Trial, $"trial {p.Trial}: validation {p.ValidationScore.ToString("0.0000", CultureInfo.InvariantCulture)} ({p.Parameters})"))));
        var (lo, hi) = result.Test.Intervals[Evaluation.ReportedMetric.Ndcg];
        output.Human.MarkupLine(Markup.Escape($"{tunable.Name}: best {result.Tuning.BestParameters}, {tunable.BudgetName} {result.Tuning.Best.Budget}; validation NDCG@10 " +
            $"{MetricsJson.F(result.Tuning.Validation.Ndcg)}; test (once) NDCG@10 {MetricsJson.F(result.Test.Means.Ndcg)} [{MetricsJson.F(lo)}, {MetricsJson.F(hi)}], random {MetricsJson.F(result.Test.Random.Ndcg)}"));
        return result;
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
        string rungs = string.Join(", ", schedule.Rungs.Select(r => $"{r.Candidates} at {r.Budget} {tunable.BudgetName}"));
        var result = output.Progress($"Tuning {tunable.Name}: {trials} candidates, {schedule.TotalTrials} fits ({rungs})", schedule.TotalTrials, report =>
            tuner.Tune(dataset, tunable.Space, tunable.TrialFit(threads), new SyncProgress<TuningProgress>(p =>
                report(p.Trial, $"fit {p.Trial}: rung {p.Rung}, {tunable.BudgetName} {p.Budget}, validation " +
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
