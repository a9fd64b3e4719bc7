using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using DeskdropML.Data;
using DeskdropML.Persistence;
using Spectre.Console;

namespace DeskdropML.Cli;

/// <summary><c>deskdrop recommend</c>: top-k items for a user from a saved model zip.</summary>
internal static class RecommendCommand
{
    public static Command Create()
    {
        var modelFile = new Option<string>("--model-file") { Description = "A model zip written by 'deskdrop train'", Required = true };
        var user = new Option<string>("--user") { Description = "The user id", Required = true };
        var k = new Option<int>("--k") { Description = "How many items", DefaultValueFactory = _ => 10 };
        var keepKnown = new Option<bool>("--include-known") { Description = "Also recommend items the user already interacted with in training" };
        var data = new Option<string>("--data") { Description = "Folder with the article file, for titles (optional)", DefaultValueFactory = _ => "notebooks-data" };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON on stdout" };
        var command = new Command("recommend", "Recommend items for a user from a saved model zip (unknown users get the popularity fallback).");
        foreach (var o in new Option[] { modelFile, user, k, keepKnown, data, json }) command.Options.Add(o);
        command.SetAction(parsed =>
        {
            var output = new Output(parsed.GetValue(json));
            int count = parsed.GetValue(k);
            if (count < 1) throw new CliUsageException($"--k must be >= 1 (got {count})");
            string path = parsed.GetValue(modelFile)!;
            if (!File.Exists(path)) throw new CliUsageException($"{path}: model file not found");
            var model = FactorizationModelZip.Load(path);
            var recommender = model.CreateRecommender();
            string userId = parsed.GetValue(user)!;
            var list = recommender.Recommend(userId, count, excludeKnown: !parsed.GetValue(keepKnown));
            var titles = LoadTitles(parsed.GetValue(data)!);

            var items = new JsonArray();
            var table = new Table().Title(Markup.Escape($"user {userId}" + (list.IsFallback ? " (unknown or without training interactions: popularity fallback)" : "")))
                .AddColumn("#").AddColumn("item").AddColumn(new TableColumn("score").RightAligned()).AddColumn("title");
            int rank = 0;
            foreach (var item in list.Items)
            {
                titles.TryGetValue(item.ItemId, out var title);
                var entry = new JsonObject { ["item"] = item.ItemId, ["score"] = item.Score };
                if (title is not null) entry["title"] = title;
                items.Add(entry);
                table.AddRow((++rank).ToString(CultureInfo.InvariantCulture), Markup.Escape(item.ItemId),
                    item.Score.ToString("0.0000", CultureInfo.InvariantCulture), Markup.Escape(title ?? ""));
            }
            output.Human.Write(table);
            output.WriteJson(new JsonObject
            {
                ["user"] = userId,
                ["model"] = model.ModelKind,
                ["fallback"] = list.IsFallback,
                ["items"] = items,
            });
            return 0;
        });
        return command;
    }

    /// <summary>Titles by content id from the article file in the data folder, if there is one.</summary>
    private static Dictionary<string, string> LoadTitles(string folder)
    {
        var titles = new Dictionary<string, string>(StringComparer.Ordinal);
        string? file = Directory.Exists(folder) ? DeskdropBenchmark.FindArticleFile(folder) : null;
        if (file is null) return titles;
        foreach (var a in ArticleCsvLoader.Load(file).Articles)
            if (!string.IsNullOrWhiteSpace(a.Title)) titles[a.ContentId] = a.Title;
        return titles;
    }
}
