using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using DeskdropML.Evaluation.Protocols;
using DeskdropML.Ranking;
using DeskdropML.Tuning;

namespace DeskdropML.Cli.Models;

/// <summary>
/// <c>--model two-stage</c>: candidate generators (recency, freshness, co-read) + LightGBM LambdaRank, trained on the
/// windows before each fold start and streamed from fold to fold (docs/two-stage.md). Needs a time-based protocol.
/// </summary>
internal sealed class TwoStageModelSpec : ModelSpec, ITunableModel
{
    private readonly Option<int?> _iterations = new("--ranker-iterations") { Description = "two-stage: LambdaRank boosting rounds (default 100)" };
    private readonly Option<int?> _leaves = new("--ranker-leaves") { Description = "two-stage: leaves per tree (default 15)" };
    private readonly Option<int?> _minLeaf = new("--ranker-min-leaf") { Description = "two-stage: minimum rows per leaf (default 50)" };
    private readonly Option<double?> _learningRate = new("--ranker-learning-rate") { Description = "two-stage: LambdaRank learning rate (default 0.1)" };
    private readonly Option<double?> _trainingDays = new("--training-days") { Description = "two-stage: days of windows before the fold start the ranker trains on (default: 28 days or 12 windows, whichever is longer)" };
    private readonly Option<double?> _retrainDays = new("--retrain-days") { Description = "two-stage: retrain the ranker every N days of folds; 0 = train once before the first fold (default 7)" };
    private readonly Option<int?> _genRecency = new("--gen-recency") { Description = "two-stage: candidates from recency popularity (default 50)" };
    private readonly Option<int?> _genFresh = new("--gen-fresh") { Description = "two-stage: candidates among the newest items (default 20)" };
    private readonly Option<int?> _genCoRead = new("--gen-coread") { Description = "two-stage, coread: candidates from co-reads with the user's recent items (default 30)" };
    private readonly Option<int?> _genNeighbours = new("--gen-neighbours") { Description = "two-stage: candidates from neighbour freshness, recent reads of users who read what the user read (default 30)" };
    private readonly Option<int?> _nbQuery = new("--neighbour-query-items") { Description = "two-stage, neighbours: the user's latest items whose readers are the user's neighbours (default 100)" };
    private readonly Option<int?> _nbReaders = new("--neighbour-readers") { Description = "two-stage, neighbours: latest readers looked at per query item (default 200)" };
    private readonly Option<int?> _maxNeighbours = new("--max-neighbours") { Description = "two-stage, neighbours: the most similar neighbours kept per user (default 30)" };
    private readonly Option<int?> _coReadPerItem = new("--coread-per-item") { Description = "two-stage, coread: co-read neighbours used per recent item, the strongest first; 0 = all (default 0)" };
    private readonly Option<int?> _recentItems = new("--recent-items") { Description = "two-stage, coread: the user's most recent items kept: co-read queries and what each neighbour contributes (default 30)" };
    private readonly Option<string?> _without = new("--without-features") { Description = "two-stage: comma list of feature groups to leave out (popularity, trend, age, user, coread, ranks, neighbours)" };

    private TwoStageFoldFitter? _fitter;
    private string? _fitterKey;

    public TwoStageModelSpec() => Name = "two-stage";

    private TwoStageModelSpec(string name, FeatureGroups without, TwoStageModelSpec flags)
    {
        Name = name;
        _fixedWithout = without;
        _flags = flags;
    }

    private readonly FeatureGroups? _fixedWithout;

    /// <summary>The spec whose (registered) flags a variant reads.</summary>
    private readonly TwoStageModelSpec? _flags;

    public override string Name { get; }

    /// <summary>The ablation variant names: <c>two-stage-without-&lt;group&gt;</c>.</summary>
    public static TwoStageModelSpec? TryParseVariant(string name, TwoStageModelSpec flags)
    {
        const string prefix = "two-stage-without-";
        if (!name.StartsWith(prefix, StringComparison.Ordinal)) return null;
        try { return new TwoStageModelSpec(name, FeatureGroupNames.Parse(name[prefix.Length..]), flags); }
        catch (ArgumentException) { return null; }
    }

    public override void AddOptions(Command command)
    {
        if (_flags is not null) return;
        foreach (var o in new Option[] { _iterations, _leaves, _minLeaf, _learningRate, _trainingDays, _retrainDays, _genRecency, _genFresh, _genCoRead, _genNeighbours, _nbQuery, _nbReaders, _maxNeighbours, _coReadPerItem, _recentItems, _without })
            command.Options.Add(o);
    }

    /// <summary>The options the flags describe for folds of <paramref name="windowHours"/>.</summary>
    public TwoStageTrainer.Options Options(ParseResult p, double windowHours, int seed, FeatureGroups without)
    {
        if (_flags is not null) return _flags.Options(p, windowHours, seed, without);
        double trainingDays = p.GetValue(_trainingDays) ?? LeakFreeDefaults.TrainingDays(windowHours / 24);
        double retrainDays = p.GetValue(_retrainDays) ?? 7;
        if (!(trainingDays > 0)) throw new CliUsageException($"--training-days must be > 0 (got {trainingDays.ToString(CultureInfo.InvariantCulture)})");
        if (!(retrainDays >= 0)) throw new CliUsageException($"--retrain-days must be >= 0 (got {retrainDays.ToString(CultureInfo.InvariantCulture)})");
        var candidates = new CandidateOptions
        {
            Recency = p.GetValue(_genRecency) ?? 50,
            Fresh = p.GetValue(_genFresh) ?? 20,
            CoRead = p.GetValue(_genCoRead) ?? 30,
            Neighbours = p.GetValue(_genNeighbours) ?? 30,
            NeighbourQueryItems = p.GetValue(_nbQuery) ?? 100,
            NeighbourReaders = p.GetValue(_nbReaders) ?? 200,
            MaxNeighbours = p.GetValue(_maxNeighbours) ?? 30,
            CoReadPerItem = p.GetValue(_coReadPerItem) ?? 0,
            Groups = FeatureGroups.All & ~without,
        };
        var ranker = new LambdaRankTrainer.Options
        {
            NumberOfIterations = p.GetValue(_iterations) ?? 100,
            NumberOfLeaves = p.GetValue(_leaves) ?? 15,
            MinimumExampleCountPerLeaf = p.GetValue(_minLeaf) ?? 50,
            LearningRate = p.GetValue(_learningRate) ?? 0.1,
            Seed = seed,
            NumberOfThreads = 1,
        };
        return LeakFreeDefaults.Assemble(p.GetValue(_recentItems) ?? 30, candidates, ranker, windowHours, trainingDays, retrainDays, seed);
    }

    private FeatureGroups Without(ParseResult p)
    {
        if (_fixedWithout is { } fixedGroups) return fixedGroups | (_flags?.Without(p) ?? FeatureGroups.None);
        var g = FeatureGroups.None;
        if (p.GetValue(_without) is string list)
            foreach (var name in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                try { g |= FeatureGroupNames.Parse(name); }
                catch (ArgumentException ex) { throw new CliUsageException($"--without-features: {ex.Message.Split(" (Parameter")[0]}"); }
            }
        return g;
    }

    public string BudgetName => "iterations";

    /// <summary>LambdaRank boosting rounds: successive halving runs 30, 90, 270.</summary>
    public int MinBudget => 30;

    public int MaxBudget => 270;

    /// <summary>The two-stage search space of <c>deskdrop tune</c> (documented in docs/two-stage.md).</summary>
    public SearchSpace Space { get; } = new SearchSpace()
        .AddChoice("leaves", 7, 15, 31)
        .AddFloat("learning_rate", 0.02, 0.3, logScale: true)
        .AddChoice("min_leaf", 20, 50, 100)
        .AddChoice("gen_recency", 30, 50, 100)
        .AddChoice("gen_neighbours", 0, 15, 30, 60)
        .AddChoice("recent_items", 10, 20, 30, 50);

    /// <summary>
    /// A trial's fit on a protocol fold. The search runs each candidate over the validation folds in time order, so one
    /// fold fitter per (candidate, budget) streams the events from fold to fold, as in <c>evaluate</c>.
    /// </summary>
    public TrialFit TrialFit(int threads) => (split, p, iterations) =>
    {
        var fold = split.Fold ?? throw new CliUsageException($"tune --model {Name} needs a time-based protocol (--protocol backtest)");
        if (fold.Start is null || fold.End is null) throw new CliUsageException($"tune --model {Name} needs a time-based protocol (--protocol backtest)");
        double windowHours = (fold.End.Value - fold.Start.Value) / 3600.0;
        string key = $"{p.Candidate}|{iterations}|{windowHours}|{split.IsValidationTrain}";
        if (_tuningFitter is null || _tuningKey != key)
        {
            var candidates = new CandidateOptions { Recency = p.GetInt("gen_recency"), Fresh = 20, CoRead = 30, Neighbours = p.GetInt("gen_neighbours") };
            var ranker = new LambdaRankTrainer.Options
            {
                NumberOfIterations = iterations, NumberOfLeaves = p.GetInt("leaves"), MinimumExampleCountPerLeaf = p.GetInt("min_leaf"),
                LearningRate = p.GetDouble("learning_rate"), Seed = p.Seed, NumberOfThreads = 1,
            };
            var options = LeakFreeDefaults.Assemble(p.GetInt("recent_items"), candidates, ranker, windowHours,
                LeakFreeDefaults.TrainingDays(windowHours / 24), retrainDays: 7, p.Seed);
            _tuningFitter = new TwoStageFoldFitter(options);
            _tuningKey = key;
        }
        return _tuningFitter.Fit(fold);
    };

    private TwoStageFoldFitter? _tuningFitter;
    private string? _tuningKey;

    public override FittedModel Fit(FitRequest request)
    {
        var fold = request.Fold ?? throw new CliUsageException($"--model {Name} needs a protocol fold (use --protocol backtest)");
        if (fold.Start is null) throw new CliUsageException($"--model {Name} needs a time-based protocol (--protocol backtest or time)");
        double windowHours = fold.End is long end ? (end - fold.Start.Value) / 3600.0 : 24;
        var without = Without(request.Parsed);
        TwoStageTrainer.Options options;
        try { options = Options(request.Parsed, windowHours, request.Seed, without); _ = new TwoStageTrainer(options); }
        catch (ArgumentOutOfRangeException ex) { throw new CliUsageException($"{Name}: {ex.ParamName}: {ex.Message.Split('\n')[0].Split(" (Parameter")[0]}"); }
        string key = $"{windowHours}|{request.Seed}|{(int)without}|{request.Parsed.GetHashCode()}";
        if (_fitter is null || _fitterKey != key)
        {
            _fitter = new TwoStageFoldFitter(options);
            _fitterKey = key;
        }
        var sw = Stopwatch.StartNew();
        var model = _fitter.Fit(fold);
        sw.Stop();
        var parameters = new JsonObject
        {
            ["window_hours"] = windowHours,
            ["training_windows"] = options.TrainingWindows,
            ["retrain_every_windows"] = options.RetrainEveryWindows,
            ["generators"] = new JsonObject { ["recency"] = options.Candidates.Recency, ["fresh"] = options.Candidates.Fresh, ["coread"] = options.Candidates.CoRead, ["neighbours"] = options.Candidates.Neighbours, ["recency_half_life_hours"] = options.Candidates.RecencyHalfLifeHours },
            ["half_lives_hours"] = new JsonArray(options.Freshness.HalfLivesHours.Select(h => (JsonNode)h).ToArray()),
            ["features"] = new JsonArray(model.FeatureNames.Select(n => (JsonNode)n).ToArray()),
            ["ranker"] = new JsonObject { ["iterations"] = options.Ranker.NumberOfIterations, ["leaves"] = options.Ranker.NumberOfLeaves, ["min_leaf"] = options.Ranker.MinimumExampleCountPerLeaf, ["learning_rate"] = options.Ranker.LearningRate },
            ["trainings"] = model.Trainings,
            ["importance"] = Importances(model),
            ["stage1_recall_training_windows"] = model.Windows.Count == 0 ? null : Math.Round(model.Windows.Sum(w => (double)w.CoveredPairs) / Math.Max(1, model.Windows.Sum(w => w.RelevantPairs)), 4),
        };
        return new FittedModel(model, model.ScoreItems, parameters, sw.Elapsed.TotalSeconds);
    }

    internal static JsonObject Importances(TwoStageModel model)
    {
        var json = new JsonObject();
        var list = model.FeatureImportances();
        double total = list.Sum(x => x.Gain);
        foreach (var (f, g) in list) json[f] = total > 0 ? Math.Round(g / total, 4) : 0;
        return json;
    }
}

/// <summary>Settings chosen on the validation folds (docs/two-stage.md, "Choosing the settings").</summary>
internal static class LeakFreeDefaults
{
    /// <summary>Days of training windows: 28 days or 12 windows, whichever is longer (daily: 28 windows; weekly: 12).</summary>
    public static double TrainingDays(double foldDays) => Math.Max(28, 12 * foldDays);

    /// <summary>
    /// Trainer options from the settings a command chooses: the user's recent list (co-read window at most 10), windows
    /// of <paramref name="windowHours"/>, <paramref name="trainingDays"/> of them to train on (at least one) and a
    /// retrain every <paramref name="retrainDays"/> (0 = train once).
    /// </summary>
    public static TwoStageTrainer.Options Assemble(int recentItems, CandidateOptions candidates, LambdaRankTrainer.Options ranker,
        double windowHours, double trainingDays, double retrainDays, int seed) => new()
    {
        Freshness = new FreshnessState.Options { RecentItems = recentItems, CoReadWindow = Math.Min(10, recentItems) },
        Candidates = candidates,
        Ranker = ranker,
        WindowHours = windowHours,
        TrainingWindows = Math.Max(1, (int)Math.Round(trainingDays * 24 / windowHours)),
        RetrainEveryWindows = retrainDays == 0 ? 0 : Math.Max(1, (int)Math.Round(retrainDays * 24 / windowHours)),
        Seed = seed,
    };
}

/// <summary><c>--model coread</c>, <c>fresh</c>, <c>trend</c>, <c>neighbours</c>: one candidate generator alone, streamed fold to fold.</summary>
internal sealed class GeneratorModelSpec(string name, GeneratorKind kind) : ModelSpec
{
    private GeneratorModel? _model;

    public override string Name => name;

    public override void AddOptions(Command command) { }

    public override FittedModel Fit(FitRequest request)
    {
        var fold = request.Fold ?? throw new CliUsageException($"--model {name} needs a protocol fold (use --protocol backtest)");
        if (fold.Start is null) throw new CliUsageException($"--model {name} needs a time-based protocol (--protocol backtest or time)");
        _model ??= new GeneratorModel(kind);
        var sw = Stopwatch.StartNew();
        var model = _model.Fit(fold);
        sw.Stop();
        return new FittedModel(model, model.ScoreItems, new JsonObject { ["generator"] = name }, sw.Elapsed.TotalSeconds);
    }
}
