using System.CommandLine;
using System.Text.Json.Nodes;
using System.Globalization;
using DeskdropML.Evaluation.Protocols;
using Spectre.Console;

namespace DeskdropML.Cli;

/// <summary><c>deskdrop data</c>: the counts of the pipeline (DESIGN section 3 facts).</summary>
internal static class DataCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var protocolOptions = new ProtocolOptions();
        var command = new Command("data", "Load the interactions, apply the notebook's rules and print the dataset facts (with --protocol other than time: per-fold counts too).");
        common.AddTo(command);
        protocolOptions.AddTo(command);
        command.SetAction(parsed =>
        {
            var output = new Output(parsed.GetValue(common.Json));
            var data = common.Load(parsed, output, fitting: false, fractionIsPerUser: protocolOptions.FractionIsPerUser(parsed));
            var s = data.Dataset.Summary;
            bool withFolds = parsed.GetResult(protocolOptions.Protocol) is { Implicit: false } || parsed.GetValue(protocolOptions.Candidates) is not null;
            var setup = withFolds ? protocolOptions.Setup(parsed, data, parsed.GetValue(common.Seed), data.TestFraction, output) : null;
            var rejected = new JsonObject();
            foreach (var (reason, count) in data.Report.Rejected) rejected[reason] = count;
            var json = new JsonObject
            {
                ["source"] = data.Name,
                ["interactions_raw"] = s.InteractionsRaw,
                ["users_total"] = s.UsersTotal,
                ["users_kept"] = s.UsersKept,
                ["interactions_kept"] = s.InteractionsKept,
                ["pairs"] = s.Pairs,
                ["items"] = s.Items,
                ["train_pairs"] = s.TrainPairs,
                ["test_pairs"] = s.TestPairs,
                ["test_users"] = s.TestUsers,
                ["cold_test_users"] = s.ColdTestUsers,
                ["test_pairs_on_items_without_train"] = s.TestPairsOnItemsWithoutTrain,
                ["split_time"] = s.SplitTime,
                ["file"] = data.Report.File,
                ["rows_read"] = data.Report.RowsRead,
                ["rows_kept"] = data.Report.RowsKept,
                ["rows_rejected"] = data.Report.RowsRejected,
                ["rejected_by_reason"] = rejected,
            };
            if (data.Statistics is { } stats)
            {
                json["load_seconds"] = stats.LoadSeconds;
                json["rows_per_second"] = (long)Math.Round(data.Report.RowsRead / Math.Max(1e-9, stats.LoadSeconds));
                json["build_seconds"] = stats.BuildSeconds;
                json["peak_managed_bytes"] = stats.PeakManagedBytes;
                json["peak_working_set_bytes"] = LoadStatistics.PeakWorkingSetBytes();
            }
            if (setup is not null) json["folds"] = FoldsJson(setup);
            output.WriteJson(json);
            if (setup is not null) WriteFolds(output, setup);

            var table = new Table().Title(Markup.Escape($"{data.Name}: dataset facts")).AddColumn("fact").AddColumn(new TableColumn("value").RightAligned());
            void Row(string name, object value) => table.AddRow(Markup.Escape(name), Markup.Escape(string.Format(System.Globalization.CultureInfo.InvariantCulture, "{0:N0}", value)));
            Row("file rows read", data.Report.RowsRead);
            Row("file rows rejected", data.Report.RowsRejected);
            foreach (var (reason, count) in data.Report.Rejected) Row("  " + reason, count);
            Row("interaction rows", s.InteractionsRaw);
            Row("distinct users", s.UsersTotal);
            Row("users with >= min items", s.UsersKept);
            Row("interaction rows kept", s.InteractionsKept);
            Row("(user, item) pairs", s.Pairs);
            Row("items", s.Items);
            Row("train pairs", s.TrainPairs);
            Row("test pairs", s.TestPairs);
            Row("test users", s.TestUsers);
            Row("test users without train pairs", s.ColdTestUsers);
            Row("test pairs on items without train pairs", s.TestPairsOnItemsWithoutTrain);
            Row("split time", s.SplitTime);
            output.Human.Write(table);
            return 0;
        });
        return command;
    }

    /// <summary>Per-fold counts (DESIGN section 8): start, train events, test users, relevant pairs, candidates by kind.</summary>
    private static JsonArray FoldsJson(ProtocolSetup setup)
    {
        var folds = new JsonArray();
        foreach (var f in setup.Folds)
            folds.Add(new JsonObject
            {
                ["start"] = f.Start,
                ["end"] = f.End,
                ["train_events"] = f.TrainEvents.Count,
                ["train_pairs"] = f.Dataset.Train.NonZeroCount,
                ["test_users"] = f.TestUsers,
                ["relevant_pairs"] = f.RelevantPairs,
                ["relevant_pairs_outside_candidates"] = f.RelevantPairsOutsideCandidates,
                ["candidates"] = new JsonObject
                {
                    ["total"] = f.CandidateCount,
                    ["seen"] = f.CandidateCount - f.ContentOnlyCandidates,
                    ["content_only"] = f.ContentOnlyCandidates,
                    ["policy"] = f.Policy.ToLabel(),
                },
            });
        return folds;
    }

    private static void WriteFolds(Output output, ProtocolSetup setup)
    {
        var t = new Table().Title(Markup.Escape($"{setup.Protocol.Name}: {setup.Folds.Count} fold(s), {setup.Policy.ToLabel()} candidates"))
            .AddColumn("fold").AddColumn("start (UTC)");
        foreach (var c in new[] { "train events", "test users", "relevant pairs", "outside candidates", "candidates", "content-only" })
            t.AddColumn(new TableColumn(c).RightAligned());
        foreach (var f in setup.Folds)
            t.AddRow(f.Index.ToString(CultureInfo.InvariantCulture),
                f.Start is long st ? DateTimeOffset.FromUnixTimeSeconds(st).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "-",
                N(f.TrainEvents.Count), N(f.TestUsers), N(f.RelevantPairs), N(f.RelevantPairsOutsideCandidates), N(f.CandidateCount), N(f.ContentOnlyCandidates));
        output.Human.Write(t);
    }

    private static string N(long v) => v.ToString("N0", CultureInfo.InvariantCulture);
}
