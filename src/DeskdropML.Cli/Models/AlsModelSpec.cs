using DeskdropML.Recommending;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using DeskdropML.Trainers.Als;
using DeskdropML.Tuning;

namespace DeskdropML.Cli.Models;

/// <summary>
/// <c>--model als</c>: alternating least squares (implicit by default, or the explicit variant); users without
/// train interactions are ranked by the popularity fallback.
/// </summary>
internal sealed class AlsModelSpec(ModelFlags flags) : ModelSpec, ITunableModel
{
    public override string Name => "als";

    public string BudgetName => "iterations";

    public int MinBudget => 3;

    public int MaxBudget => 27;

    /// <summary>The ALS search space of <c>deskdrop tune</c> (documented in docs/tuning.md).</summary>
    public SearchSpace Space { get; } = new SearchSpace()
        .AddChoice("factors", 16, 32, 64, 128)
        .AddFloat("regularization", 1e-3, 10, logScale: true)
        .AddFloat("alpha", 0.5, 50, logScale: true)
        .AddChoice("confidence", "one-plus-alpha-r", "alpha-r")
        .AddChoice("weighting", "none", "bm25")
        .AddChoice("recency_half_life_days", 0.0, 7.0, 14.0, 30.0, 60.0, 120.0);

    public TrialFit TrialFit(int threads) => (split, p, iterations) => new AlsTrainer(new AlsTrainer.Options
    {
        NumberOfFactors = p.GetInt("factors"),
        Regularization = p.GetFloat("regularization"),
        Alpha = p.GetFloat("alpha"),
        Confidence = ParseConfidence(p.GetString("confidence")),
        Weighting = ParseWeighting(p.GetString("weighting")),
        NumberOfIterations = iterations,
        NumberOfThreads = threads,
        Seed = p.Seed,
    }).Fit(Decayed(split, p), split.Users, split.Items);

    public override void AddOptions(Command command) { }

    /// <summary>The split's train matrix, time-decayed when the trial's half-life is positive (0 = none).</summary>
    internal static Sparse.CsrMatrix Decayed(TrainingSplit split, TrialParameters p)
    {
        double days = p.GetDouble("recency_half_life_days");
        return days > 0 ? Data.RecencyWeighting.Apply(split.Train, split.Timestamps, days * 86400.0) : split.Train;
    }

    /// <summary>The trainer options the flags describe.</summary>
    public AlsTrainer.Options Options(ParseResult p, int seed, int threads) => new()
    {
        NumberOfFactors = p.GetValue(flags.Factors) ?? 64,
        Regularization = (float)(p.GetValue(flags.Regularization) ?? 0.01),
        Alpha = (float)(p.GetValue(flags.Alpha) ?? 1.0),
        NumberOfIterations = p.GetValue(flags.Iterations) ?? 15,
        ConjugateGradientSteps = p.GetValue(flags.CgSteps) ?? 3,
        Confidence = ParseConfidence(p.GetValue(flags.Confidence) ?? "one-plus-alpha-r"),
        Solver = p.GetValue(flags.Solver) switch
        {
            null or "cg" => AlsSolver.ConjugateGradient,
            "cholesky" => AlsSolver.Cholesky,
            var other => throw new CliUsageException($"--solver must be cg or cholesky (got '{other}')"),
        },
        Feedback = p.GetValue(flags.Feedback) switch
        {
            null or "implicit" => AlsFeedback.Implicit,
            "explicit" => AlsFeedback.Explicit,
            var other => throw new CliUsageException($"--feedback must be implicit or explicit (got '{other}')"),
        },
        Weighting = ParseWeighting(p.GetValue(flags.Weighting) ?? "none"),
        Bm25K1 = (float)flags.Bm25K1Value(p, 100),
        Bm25B = (float)flags.Bm25BValue(p, 0.8),
        NumberOfThreads = threads,
        Seed = seed,
    };

    private static AlsConfidence ParseConfidence(string name) => name switch
    {
        "one-plus-alpha-r" => AlsConfidence.OnePlusAlphaR,
        "alpha-r" => AlsConfidence.AlphaR,
        _ => throw new CliUsageException($"--confidence must be one-plus-alpha-r or alpha-r (got '{name}')"),
    };

    private static AlsWeighting ParseWeighting(string name) => name switch
    {
        "none" => AlsWeighting.None,
        "bm25" => AlsWeighting.Bm25,
        "tfidf" => AlsWeighting.TfIdf,
        _ => throw new CliUsageException($"--weighting must be none, bm25 or tfidf (got '{name}')"),
    };

    public override FittedModel Fit(FitRequest request)
    {
        var options = Options(request.Parsed, request.Seed, request.Threads);
        var trainer = new AlsTrainer(options); // an option out of range reaches the user as its flag (ExitCodes)
        var ds = request.Dataset;
        var sw = Stopwatch.StartNew();
        var model = request.Output.Progress($"ALS ({options.Feedback}, {options.NumberOfFactors} factors, {options.Solver})", options.NumberOfIterations,
            report => trainer.Fit(flags.TrainMatrix(request.Parsed, ds), ds.Users, ds.Items, new SyncProgress<AlsIterationInfo>(i =>
                report(i.Iteration, $"iteration {i.Iteration}, objective {i.Objective.ToString("G6", CultureInfo.InvariantCulture)}"))));
        sw.Stop();
        var scorer = new ColdUserFallbackModel(model, ds.Train);
        var parameters = new JsonObject
        {
            ["factors"] = options.NumberOfFactors,
            ["regularization"] = options.Regularization,
            ["alpha"] = options.Alpha,
            ["confidence"] = options.Confidence.ToString(),
            ["iterations"] = options.NumberOfIterations,
            ["solver"] = options.Solver.ToString(),
            ["cg_steps"] = options.ConjugateGradientSteps,
            ["feedback"] = options.Feedback.ToString(),
            ["weighting"] = options.Weighting.ToString(),
            ["bm25_k1"] = options.Bm25K1,
            ["bm25_b"] = options.Bm25B,
            ["recency_half_life_days"] = request.Parsed.GetValue(flags.RecencyHalfLifeDays),
            ["seed"] = options.Seed,
            ["threads"] = options.NumberOfThreads,
        };
        return new FittedModel(model, scorer.ScoreItems, parameters, sw.Elapsed.TotalSeconds);
    }
}
