using DeskdropML.Recommending;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using DeskdropML.Trainers.Warp;
using DeskdropML.Tuning;

namespace DeskdropML.Cli.Models;

/// <summary>
/// <c>--model warp</c>: the LightFM-style hybrid factorization (identity features, optional article text
/// features); users without train interactions are ranked by the popularity fallback.
/// </summary>
internal sealed class WarpModelSpec(ModelFlags flags, TextFeatureOptions text) : ModelSpec, ITunableModel
{
    public override string Name => "warp";

    public string BudgetName => "epochs";

    public int MinBudget => 5;

    public int MaxBudget => 45;

    /// <summary>The WARP search space of <c>deskdrop tune</c> (documented in docs/tuning.md).</summary>
    public SearchSpace Space { get; } = new SearchSpace()
        .AddChoice("components", 8, 16, 32, 64)
        .AddFloat("learning_rate", 0.01, 0.2, logScale: true)
        .AddChoice("loss", "warp", "bpr")
        .AddChoice("max_sampled", 10, 30)
        .AddChoice("item_alpha", 0.0, 1e-5, 1e-4, 1e-3)
        .AddChoice("user_alpha", 0.0, 1e-5, 1e-4, 1e-3)
        .AddChoice("recency_half_life_days", 0.0, 7.0, 14.0, 30.0, 60.0, 120.0);

    public TrialFit TrialFit(int threads) => (split, p, epochs) => new WarpTrainer(new WarpTrainer.Options
    {
        NumberOfComponents = p.GetInt("components"),
        LearningRate = p.GetFloat("learning_rate"),
        Loss = ParseLoss(p.GetString("loss")),
        MaxSampled = p.GetInt("max_sampled"),
        ItemAlpha = p.GetFloat("item_alpha"),
        UserAlpha = p.GetFloat("user_alpha"),
        NumberOfEpochs = epochs,
        NumberOfThreads = threads,
        Seed = p.Seed,
    }).Fit(Decayed(split, p), split.Users, split.Items);

    public override void AddOptions(Command command) { }

    private static Sparse.CsrMatrix Decayed(TrainingSplit split, TrialParameters p) => AlsModelSpec.Decayed(split, p);

    /// <summary>The trainer options the flags describe.</summary>
    public WarpTrainer.Options Options(ParseResult p, int seed, int threads)
    {
        var o = new WarpTrainer.Options
        {
            NumberOfComponents = p.GetValue(flags.Components) ?? 10,
            NumberOfEpochs = p.GetValue(flags.Epochs) ?? 30,
            LearningRate = (float)(p.GetValue(flags.LearningRate) ?? 0.05),
            MaxSampled = p.GetValue(flags.MaxSampled) ?? 10,
            UserAlpha = (float)(p.GetValue(flags.UserAlpha) ?? 0),
            ItemAlpha = (float)(p.GetValue(flags.ItemAlpha) ?? 0),
            Seed = seed,
            NumberOfThreads = threads,
            Loss = ParseLoss(p.GetValue(flags.Loss) ?? "warp"),
            LearningSchedule = p.GetValue(flags.Schedule) switch
            {
                null or "adagrad" => WarpLearningSchedule.Adagrad,
                "adadelta" => WarpLearningSchedule.Adadelta,
                var other => throw new CliUsageException($"--schedule must be adagrad or adadelta (got '{other}')"),
            },
        };
        o.NegativeSampling = p.GetValue(flags.NegativeSampling) switch
        {
            null or "all" => WarpNegativeSampling.AllItems,
            "train" => WarpNegativeSampling.TrainItems,
            var other => throw new CliUsageException($"--negative-sampling must be all or train (got '{other}')"),
        };
        o.UseItemIdentityFeatures = p.GetValue(flags.IdentityFeatures) switch
        {
            null or "on" => true,
            "off" => false,
            var other => throw new CliUsageException($"--identity-features must be on or off (got '{other}')"),
        };
        return o;
    }

    public static WarpLoss ParseLoss(string name) => name switch
    {
        "warp" => WarpLoss.Warp,
        "bpr" => WarpLoss.Bpr,
        "logistic" => WarpLoss.Logistic,
        "kos-warp" => WarpLoss.KosWarp,
        _ => throw new CliUsageException($"--loss must be warp, bpr, logistic or kos-warp (got '{name}')"),
    };

    public override FittedModel Fit(FitRequest request)
    {
        var p = request.Parsed;
        var options = Options(p, request.Seed, request.Threads);
        var preset = text.Preset(p, null);
        var ds = request.Dataset;
        var itemFeatures = preset is null ? null : TextFeatureOptions.Build(request.Data, preset.Value, p.GetValue(text.SublinearTf), request.Output).Matrix;
        if (itemFeatures is null && !options.UseItemIdentityFeatures)
            throw new CliUsageException("--identity-features off needs --features raw or clean (items would have no features)");
        var trainer = new WarpTrainer(options); // an option out of range reaches the user as its flag (ExitCodes)
        var sw = Stopwatch.StartNew();
        var model = request.Output.Progress($"WARP ({options.Loss}, {options.NumberOfComponents} components)", options.NumberOfEpochs,
            report => trainer.Fit(flags.TrainMatrix(request.Parsed, ds), ds.Users, ds.Items, null, itemFeatures,
                new SyncProgress<WarpEpochInfo>(e => report(e.Epoch, $"epoch {e.Epoch}, loss {e.MeanLoss.ToString("0.000", CultureInfo.InvariantCulture)}"))));
        sw.Stop();
        var scorer = new ColdUserFallbackModel(model, ds.Train);
        var parameters = new JsonObject
        {
            ["loss"] = options.Loss.ToString(),
            ["components"] = options.NumberOfComponents,
            ["epochs"] = options.NumberOfEpochs,
            ["learning_rate"] = options.LearningRate,
            ["schedule"] = options.LearningSchedule.ToString(),
            ["max_sampled"] = options.MaxSampled,
            ["user_alpha"] = options.UserAlpha,
            ["item_alpha"] = options.ItemAlpha,
            ["features"] = preset?.ToString().ToLowerInvariant() ?? "none",
            ["identity_features"] = options.UseItemIdentityFeatures,
            ["negative_sampling"] = options.NegativeSampling.ToString(),
            ["recency_half_life_days"] = request.Parsed.GetValue(flags.RecencyHalfLifeDays),
            ["seed"] = options.Seed,
            ["threads"] = options.NumberOfThreads,
        };
        return new FittedModel(model, scorer.ScoreItems, parameters, sw.Elapsed.TotalSeconds);
    }
}

/// <summary>An <see cref="IProgress{T}"/> that reports on the calling thread (no synchronization context hop).</summary>
internal sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
