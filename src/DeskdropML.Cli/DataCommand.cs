using System.CommandLine;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace DeskdropML.Cli;

/// <summary><c>deskdrop data</c>: the counts of the pipeline (DESIGN section 3 facts).</summary>
internal static class DataCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var command = new Command("data", "Load the interactions, apply the notebook's rules and print the dataset facts.");
        common.AddTo(command);
        command.SetAction(parsed =>
        {
            var output = new Output(parsed.GetValue(common.Json));
            var data = common.Load(parsed, output, fitting: false);
            var s = data.Dataset.Summary;
            var rejected = new JsonObject();
            foreach (var (reason, count) in data.Report.Rejected) rejected[reason] = count;
            output.WriteJson(new JsonObject
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
            });

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
}
