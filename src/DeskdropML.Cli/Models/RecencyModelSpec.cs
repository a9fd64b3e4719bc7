using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using DeskdropML.Trainers.Popularity;

namespace DeskdropML.Cli.Models;

/// <summary>
/// <c>--model recency</c> (half-life from <c>--half-life-hours</c>, default 24) and its named variants
/// <c>recency-6h</c>, <c>recency-3d</c>, …: a decayed count of the train events, "now" = the fold start (or, without
/// a fold start, the last train event).
/// </summary>
internal sealed class RecencyModelSpec : ModelSpec
{
    private readonly Option<double?> HalfLifeHours = new("--half-life-hours") { Description = "recency: half-life in hours (default 24)" };
    private readonly double? _fixedHours;
    private readonly string _name;

    public RecencyModelSpec() : this("recency", null) { }

    private RecencyModelSpec(string name, double? hours)
    {
        _name = name;
        _fixedHours = hours;
    }

    public override string Name => _name;

    public override void AddOptions(Command command) => command.Options.Add(HalfLifeHours);

    /// <summary>Parses <c>recency-&lt;N&gt;h</c> or <c>recency-&lt;N&gt;d</c>; null when the name is not of that form.</summary>
    public static RecencyModelSpec? TryParseVariant(string name)
    {
        if (!name.StartsWith("recency-", StringComparison.Ordinal) || name.Length < 10) return null;
        char unit = name[^1];
        if (unit != 'h' && unit != 'd') return null;
        if (!double.TryParse(name.AsSpan(8, name.Length - 9), NumberStyles.Float, CultureInfo.InvariantCulture, out double n) || !(n > 0) || n > 1e6)
            return null;
        return new RecencyModelSpec(name, unit == 'h' ? n : n * 24);
    }

    public override FittedModel Fit(FitRequest request)
    {
        double hours = _fixedHours ?? request.Parsed.GetValue(HalfLifeHours) ?? 24;
        if (!(hours > 0) || double.IsInfinity(hours)) throw new CliUsageException($"--half-life-hours must be > 0 (got {hours.ToString(CultureInfo.InvariantCulture)})");
        var ds = request.Dataset;
        var sw = System.Diagnostics.Stopwatch.StartNew();
        RecencyPopularityModel model;
        if (request.Fold is { } fold)
        {
            var events = fold.TrainEvents;
            long now = fold.Start ?? (events.Count == 0 ? 0 : events.Times[^1]);
            model = RecencyPopularityModel.Fit(ds.Users, ds.Items, events.Items, events.Times, now, hours * 3600);
        }
        else
        {
            // The notebook split: one event per train pair at its time, "now" = the split time.
            model = RecencyPopularityModel.Fit(ds.Users, ds.Items, ds.Train.ColumnIndices, ds.TrainTimestamps, ds.Summary.SplitTime, hours * 3600);
        }
        sw.Stop();
        return new FittedModel(model, model.ScoreItems, new JsonObject { ["half_life_hours"] = hours }, sw.Elapsed.TotalSeconds);
    }
}
