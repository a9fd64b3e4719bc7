using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using DeskdropML.Features;
using DeskdropML.Trainers.Content;
using DeskdropML.Recommending;

namespace DeskdropML.Cli.Models;

/// <summary>
/// <c>--model content</c>: cosine between the user's strength-weighted text profile and each item's TF-IDF vector.
/// Users without a profile (no train items with text) are ranked by popularity.
/// </summary>
internal sealed class ContentModelSpec(TextFeatureOptions text) : ModelSpec
{
    public override string Name => "content";

    public override void AddOptions(Command command) { }

    public override FittedModel Fit(FitRequest request)
    {
        var preset = text.Preset(request.Parsed, TextFeaturePreset.Clean)
            ?? throw new CliUsageException("--model content needs --features raw or clean");
        bool sublinear = request.Parsed.GetValue(text.SublinearTf);
        var ds = request.Dataset;
        var features = TextFeatureOptions.Build(request.Data, preset, sublinear, request.Output);
        var sw = Stopwatch.StartNew();
        var model = new ContentTrainer(new ContentTrainer.Options { NumberOfThreads = request.Threads })
            .Fit(ds.Train, ds.Users, ds.Items, features.Matrix);
        sw.Stop();
        var scorer = new ColdUserFallbackModel(model, ds.Train);
        var parameters = new JsonObject
        {
            ["features"] = preset.ToString().ToLowerInvariant(),
            ["sublinear_tf"] = sublinear,
            ["vocabulary"] = features.Vocabulary.Count,
            ["items_with_text"] = features.MatchedArticles,
        };
        // The factorization view lets 'train' save the content model as a zip like the other trainers.
        return new FittedModel(new ContentFactorizationView(model), scorer.ScoreItems, parameters, sw.Elapsed.TotalSeconds);
    }
}
