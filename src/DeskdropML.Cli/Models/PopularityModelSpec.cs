using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using DeskdropML.Trainers.Popularity;

namespace DeskdropML.Cli.Models;

/// <summary><c>--model popularity</c>: distinct train users per item, optional recency half-life.</summary>
internal sealed class PopularityModelSpec : ModelSpec
{
    private readonly Option<double?> _halfLifeDays = new("--half-life-days") { Description = "popularity: recency half-life in days (default: none)" };

    public override string Name => "popularity";

    public override void AddOptions(Command command) => command.Options.Add(_halfLifeDays);

    public override FittedModel Fit(FitRequest request)
    {
        double? days = request.Parsed.GetValue(_halfLifeDays);
        if (days is double d && !(d > 0)) throw new CliUsageException($"--half-life-days must be > 0 (got {d})");
        var ds = request.Dataset;
        var sw = Stopwatch.StartNew();
        var model = PopularityModel.Fit(ds.Train, ds.Users, ds.Items,
            new PopularityOptions { HalfLifeSeconds = days * 86400.0 }, ds.TrainTimestamps);
        sw.Stop();
        var parameters = new JsonObject { ["half_life_days"] = days };
        return new FittedModel(model, model.ScoreItems, parameters, sw.Elapsed.TotalSeconds);
    }
}
