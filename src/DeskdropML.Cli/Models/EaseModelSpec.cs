using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using DeskdropML.Recommending;
using DeskdropML.Trainers.Ease;
using DeskdropML.Tuning;

namespace DeskdropML.Cli.Models;

/// <summary>
/// <c>--model ease</c>: EASE (Steck 2019), the closed-form item-item regression with a zero diagonal; a dense solve in
/// the number of items, refused above <c>--ease-max-items</c>. With <c>--recency-half-life-days</c> the user's history
/// is decayed, B is learned from the undecayed train matrix. Users without train interactions are ranked by the
/// popularity fallback.
/// </summary>
internal sealed class EaseModelSpec(ModelFlags flags) : ModelSpec, ITunableModel
{
    public override string Name => "ease";

    public string BudgetName => ClosedForm.BudgetName;

    public int MinBudget => 1;

    public int MaxBudget => 1;

    /// <summary>The EASE search space of <c>deskdrop tune</c> (documented in docs/tuning.md).</summary>
    public SearchSpace Space { get; } = new SearchSpace()
        .AddFloat("lambda", 1, 10000, logScale: true)
        .AddChoice("recency_half_life_days", 0.0, 7.0, 14.0, 30.0, 60.0, 120.0);

    public TrialFit TrialFit(int threads) => (split, p, _) =>
    {
        var options = new EaseTrainer.Options { L2 = p.GetFloat("lambda"), NumberOfThreads = threads };
        return Train(options, () => new EaseTrainer(options).Fit(split.Train, split.Users, split.Items, AlsModelSpec.Decayed(split, p)));
    };

    public override void AddOptions(Command command) { }

    /// <summary>The trainer options the flags describe.</summary>
    public EaseTrainer.Options Options(ParseResult p, int threads)
    {
        double lambda = p.GetValue(flags.EaseLambda) ?? 500;
        if (!(lambda > 0) || !float.IsFinite((float)lambda))
            throw new CliUsageException($"--ease-lambda must be a finite number > 0 (got {lambda.ToString(CultureInfo.InvariantCulture)})");
        int maxItems = p.GetValue(flags.EaseMaxItems) ?? 20000;
        if (maxItems is < 1 or > EaseTrainer.ItemLimit)
            throw new CliUsageException($"--ease-max-items must be in [1, {EaseTrainer.ItemLimit}] (got {maxItems})");
        return new EaseTrainer.Options { L2 = (float)lambda, MaxItems = maxItems, NumberOfThreads = threads };
    }

    /// <summary>Runs a fit, turning the trainer's refusals (catalogue too large, λ too small) into usage errors.</summary>
    private static EaseModel Train(EaseTrainer.Options options, Func<EaseModel> fit)
    {
        try { return fit(); }
        catch (ArgumentException e) when (e.ParamName == "items") { throw new CliUsageException($"--model ease: {e.Message.Split(" (Parameter")[0]} Use --ease-max-items to change the limit."); }
        catch (InvalidOperationException e) { throw new CliUsageException($"--ease-lambda {options.L2.ToString(CultureInfo.InvariantCulture)}: {e.Message}"); }
    }

    public override FittedModel Fit(FitRequest request)
    {
        var options = Options(request.Parsed, request.Threads);
        var ds = request.Dataset;
        var history = flags.TrainMatrix(request.Parsed, ds);
        var sw = Stopwatch.StartNew();
        var model = request.Output.Status($"EASE (lambda {options.L2.ToString(CultureInfo.InvariantCulture)}, {ds.Items.Count:N0} items)",
            () => Train(options, () => new EaseTrainer(options).Fit(ds.Train, ds.Users, ds.Items, history)));
        sw.Stop();
        var parameters = new JsonObject
        {
            ["lambda"] = options.L2,
            ["max_items"] = options.MaxItems,
            ["recency_half_life_days"] = request.Parsed.GetValue(flags.RecencyHalfLifeDays),
            ["threads"] = options.NumberOfThreads,
        };
        return new FittedModel(model, new ColdUserFallbackModel(model, ds.Train).ScoreItems, parameters, sw.Elapsed.TotalSeconds);
    }
}
