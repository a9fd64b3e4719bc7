using DeskdropML.Recommending;
using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using DeskdropML.Trainers.Ffm;
using DeskdropML.Tuning;

namespace DeskdropML.Cli.Models;

/// <summary>
/// <c>--model ffm</c>: ML.NET's in-box FieldAwareFactorizationMachine on one-hot user and item fields with
/// sampled negatives (the ML.NET baseline; Microsoft.ML.Recommender is not available on this mirror).
/// </summary>
internal sealed class FfmModelSpec(ModelFlags flags) : ModelSpec
{
    public override string Name => "ffm";

    public override void AddOptions(Command command) { }

    public override FittedModel Fit(FitRequest request)
    {
        var p = request.Parsed;
        var options = new FfmRecommender.Options
        {
            LatentDimension = p.GetValue(flags.Factors) ?? 20,
            NumberOfIterations = p.GetValue(flags.Iterations) ?? 5,
            LearningRate = (float)(p.GetValue(flags.LearningRate) ?? 0.1),
            NegativesPerPositive = p.GetValue(flags.Negatives) ?? 4,
            Seed = request.Seed,
        };
        var ds = request.Dataset;
        var sw = Stopwatch.StartNew();
        var model = request.Output.Status("Fitting ML.NET FieldAwareFactorizationMachine",
            () => FfmRecommender.Fit(ds.Train, ds.Users, ds.Items, options));
        sw.Stop();
        var scorer = new ColdUserFallbackModel(model, ds.Train);
        var parameters = new JsonObject
        {
            ["latent_dimension"] = options.LatentDimension,
            ["iterations"] = options.NumberOfIterations,
            ["learning_rate"] = options.LearningRate,
            ["negatives_per_positive"] = options.NegativesPerPositive,
            ["seed"] = options.Seed,
        };
        return new FittedModel(model, scorer.ScoreItems, parameters, sw.Elapsed.TotalSeconds);
    }
}
