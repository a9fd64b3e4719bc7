using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using DeskdropML.Recommending;
using DeskdropML.Trainers.Svd;
using DeskdropML.Tuning;

namespace DeskdropML.Cli.Models;

/// <summary>
/// <c>--model svd</c>: PureSVD, a rank-k truncated SVD of the train matrix (randomized, seeded; the "Recommender
/// Systems in Python 101" notebook's collaborative filter uses 15 factors). With <c>--recency-half-life-days</c> the
/// matrix is decayed before the decomposition. Users without train interactions are ranked by the popularity fallback.
/// </summary>
internal sealed class PureSvdModelSpec(ModelFlags flags) : ModelSpec, ITunableModel
{
    public override string Name => "svd";

    public string BudgetName => ClosedForm.BudgetName;

    public int MinBudget => 1;

    public int MaxBudget => 1;

    /// <summary>The PureSVD search space of <c>deskdrop tune</c> (documented in docs/tuning.md).</summary>
    public SearchSpace Space { get; } = new SearchSpace()
        .AddChoice("factors", 5, 10, 15, 20, 30, 50, 100, 200)
        .AddChoice("recency_half_life_days", 0.0, 7.0, 14.0, 30.0, 60.0, 120.0);

    public TrialFit TrialFit(int threads) => (split, p, _) => new PureSvdTrainer(new PureSvdTrainer.Options
    {
        NumberOfFactors = Math.Min(p.GetInt("factors"), Math.Min(split.Users.Count, split.Items.Count)),
        Seed = p.Seed,
        NumberOfThreads = threads,
    }).Fit(AlsModelSpec.Decayed(split, p), split.Users, split.Items);

    public override void AddOptions(Command command) { }

    /// <summary>The trainer options the flags describe.</summary>
    public PureSvdTrainer.Options Options(ParseResult p, int seed, int threads)
    {
        int factors = p.GetValue(flags.Factors) ?? 15;
        if (factors < 1) throw new CliUsageException($"--factors must be >= 1 (got {factors})");
        int iterations = p.GetValue(flags.Iterations) ?? 7;
        if (iterations < 0) throw new CliUsageException($"--iterations must be >= 0 for svd (got {iterations})");
        return new PureSvdTrainer.Options { NumberOfFactors = factors, PowerIterations = iterations, Seed = seed, NumberOfThreads = threads };
    }


    public override FittedModel Fit(FitRequest request)
    {
        var options = Options(request.Parsed, request.Seed, request.Threads);
        var ds = request.Dataset;
        int most = Math.Min(ds.Users.Count, ds.Items.Count);
        if (options.NumberOfFactors > most)
            throw new CliUsageException($"--factors is {options.NumberOfFactors} but the {ds.Users.Count:N0} x {ds.Items.Count:N0} train matrix has at most {most:N0} singular values");
        var matrix = flags.TrainMatrix(request.Parsed, ds);
        var sw = Stopwatch.StartNew();
        var model = request.Output.Status($"PureSVD ({options.NumberOfFactors} factors)",
            () => new PureSvdTrainer(options).Fit(matrix, ds.Users, ds.Items));
        sw.Stop();
        var parameters = new JsonObject
        {
            ["factors"] = options.NumberOfFactors,
            ["oversampling"] = options.Oversampling,
            ["power_iterations"] = options.PowerIterations,
            ["recency_half_life_days"] = request.Parsed.GetValue(flags.RecencyHalfLifeDays),
            ["largest_singular_value"] = model.SingularValues[0],
            ["seed"] = options.Seed,
            ["threads"] = options.NumberOfThreads,
        };
        return new FittedModel(model, new ColdUserFallbackModel(model, ds.Train).ScoreItems, parameters, sw.Elapsed.TotalSeconds);
    }
}
