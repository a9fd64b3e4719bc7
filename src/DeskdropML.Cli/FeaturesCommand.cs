using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using DeskdropML.Cli.Models;
using DeskdropML.Features;
using Spectre.Console;

namespace DeskdropML.Cli;

/// <summary><c>deskdrop features</c>: featurize the articles and show an article's top weighted terms.</summary>
internal static class FeaturesCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var preset = new Option<string>("--preset") { Description = "raw | clean", DefaultValueFactory = _ => "clean" };
        var sublinear = new Option<bool>("--sublinear-tf") { Description = "Use 1 + ln(tf)" };
        var show = new Option<string?>("--show") { Description = "Item (content) id whose top terms to show" };
        var top = new Option<int>("--top") { Description = "How many terms to show", DefaultValueFactory = _ => 15 };
        var command = new Command("features", "Build the item text features (TF-IDF) and show an article's top weighted terms.");
        common.AddTo(command);
        foreach (var o in new Option[] { preset, sublinear, show, top }) command.Options.Add(o);
        command.SetAction(parsed =>
        {
            var output = new Output(parsed.GetValue(common.Json));
            var p = parsed.GetValue(preset) switch
            {
                "raw" => TextFeaturePreset.Raw,
                "clean" => TextFeaturePreset.Clean,
                var other => throw new CliUsageException($"--preset must be raw or clean (got '{other}')"),
            };
            int n = parsed.GetValue(top);
            if (n < 1) throw new CliUsageException($"--top must be >= 1 (got {n})");
            var data = common.Load(parsed, output, fitting: false);
            var sw = Stopwatch.StartNew();
            var features = TextFeatureOptions.Build(data, p, parsed.GetValue(sublinear), output);
            sw.Stop();
            var result = new JsonObject
            {
                ["preset"] = p.ToString().ToLowerInvariant(),
                ["articles"] = data.Articles.Count,
                ["items"] = features.Items.Count,
                ["items_with_text"] = features.MatchedArticles,
                ["articles_not_in_catalogue"] = features.IgnoredArticles,
                ["vocabulary"] = features.Vocabulary.Count,
                ["seconds"] = sw.Elapsed.TotalSeconds,
            };
            output.Human.MarkupLine($"{features.Vocabulary.Count:N0} terms; {features.MatchedArticles} of {features.Items.Count} items have text; " +
                $"{features.IgnoredArticles} articles are not in the catalogue; {sw.Elapsed.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)} s");
            string? id = parsed.GetValue(show);
            if (id is not null)
            {
                if (!features.Items.Contains(id))
                    throw new CliUsageException($"--show: item '{id}' is not in the {data.Name} catalogue");
                var terms = features.TopTerms(id, n);
                var article = data.Articles.FirstOrDefault(a => a.ContentId == id);
                var table = new Table().Title(Markup.Escape(article?.Title ?? id)).AddColumn("term").AddColumn(new TableColumn("weight").RightAligned());
                var array = new JsonArray();
                foreach (var (term, weight) in terms)
                {
                    table.AddRow(Markup.Escape(term), weight.ToString("0.0000", CultureInfo.InvariantCulture));
                    array.Add(new JsonObject { ["term"] = term, ["weight"] = weight });
                }
                output.Human.Write(table);
                result["item"] = id;
                result["title"] = article?.Title;
                result["top_terms"] = array;
            }
            output.WriteJson(result);
            return 0;
        });
        return command;
    }
}
