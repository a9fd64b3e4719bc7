using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using DeskdropML.Cli.Models;
using DeskdropML.Evaluation;
using DeskdropML.Evaluation.Protocols;

namespace DeskdropML.Cli;

/// <summary>The protocol flags of <c>evaluate</c>, <c>compare</c>, <c>tune</c> and <c>data</c> (DESIGN section 8) and how they become folds.</summary>
internal sealed class ProtocolOptions
{
    public readonly Option<string> Protocol = new("--protocol") { Description = "time (the notebook's split) | backtest | user-holdout | leave-last | kfold", DefaultValueFactory = _ => "time" };
    public readonly Option<string?> Candidates = new("--candidates") { Description = "catalog (leaky; default for time) | seen (default otherwise) | available (seen + shared articles; needs the article file)" };
    public readonly Option<double> FoldDays = new("--fold-days") { Description = "backtest: fold length in days (fractions allowed)", DefaultValueFactory = _ => 7 };
    public readonly Option<double?> TrainWindowDays = new("--train-window-days") { Description = "backtest: sliding train window in days (default: expanding)" };
    public readonly Option<int?> ValidationFolds = new("--validation-folds") { Description = "backtest: folds before the split used for tuning (default: 14 days' worth)" };
    public readonly Option<int> LastN = new("--last-n") { Description = "leave-last: pairs per user held out", DefaultValueFactory = _ => 1 };
    public readonly Option<int> Folds = new("--folds") { Description = "kfold: K", DefaultValueFactory = _ => 5 };
    public readonly Option<int?> SampledNegatives = new("--sampled-negatives") { Description = "Also rank each test pair among N sampled non-interacted items (HitRate@5/@10)" };
    public readonly Option<string> EvaluateOn = new("--evaluate-on") { Description = "test (default) | validation: the folds before the split, for choosing settings without looking at test", DefaultValueFactory = _ => "test" };
    public readonly Option<int> BootstrapResamples = new("--bootstrap") { Description = "Bootstrap resamples for the 95% intervals", DefaultValueFactory = _ => 1000 };

    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { Protocol, Candidates, FoldDays, TrainWindowDays, ValidationFolds, LastN, Folds, SampledNegatives, BootstrapResamples, EvaluateOn })
            command.Options.Add(o);
    }

    /// <summary>True when <c>--test-fraction</c> is the per-user holdout fraction rather than a time fraction.</summary>
    public bool FractionIsPerUser(ParseResult parsed) => parsed.GetValue(Protocol) == "user-holdout";

    /// <summary>The protocol the flags describe; <paramref name="split"/> is the loaded dataset's split time.</summary>
    public IEvaluationProtocol Create(ParseResult parsed, long split, double? testFraction, int seed)
    {
        string name = parsed.GetValue(Protocol)!;
        try
        {
            return name switch
            {
                "time" => new TimeSplitProtocol(split),
                "backtest" => new RollingBacktest(new RollingBacktest.Options
                {
                    SplitTime = split,
                    FoldDays = parsed.GetValue(FoldDays),
                    TrainWindowDays = parsed.GetValue(TrainWindowDays),
                    ValidationFolds = parsed.GetValue(ValidationFolds),
                }),
                "user-holdout" => new UserHoldoutProtocol(testFraction ?? 0.2, seed),
                "leave-last" => new LeaveLastNProtocol(parsed.GetValue(LastN)),
                "kfold" => new KFoldProtocol(parsed.GetValue(Folds), seed),
                _ => throw new CliUsageException($"--protocol must be time, backtest, user-holdout, leave-last or kfold (got '{name}')"),
            };
        }
        catch (ArgumentOutOfRangeException ex)
        {
            string flag = ex.ParamName switch
            {
                nameof(RollingBacktest.Options.FoldDays) => "--fold-days",
                nameof(RollingBacktest.Options.TrainWindowDays) => "--train-window-days",
                nameof(RollingBacktest.Options.ValidationFolds) => "--validation-folds",
                "lastN" => "--last-n",
                "folds" => "--folds",
                "testFraction" => "--test-fraction",
                _ => "--protocol",
            };
            throw new CliUsageException($"{flag}: {ex.Message.Split('\n')[0].Split(" (Parameter")[0]} (got {ex.ActualValue})");
        }
    }

    public CandidatePolicy Policy(ParseResult parsed)
    {
        string? name = parsed.GetValue(Candidates);
        if (name is null) return parsed.GetValue(Protocol) == "time" ? CandidatePolicy.Catalog : CandidatePolicy.Seen;
        try { return CandidatePolicyNames.Parse(name); }
        catch (ArgumentException) { throw new CliUsageException($"--candidates must be catalog, seen or available (got '{name}')"); }
    }

    public int Resamples(ParseResult parsed)
    {
        int b = parsed.GetValue(BootstrapResamples);
        if (b < 1 || b > 1_000_000) throw new CliUsageException($"--bootstrap must be in [1, 1000000] (got {b})");
        return b;
    }

    /// <summary>Builds the history and the test folds of the chosen protocol.</summary>
    public ProtocolSetup Setup(ParseResult parsed, LoadedData data, int seed, double? testFraction, Output output)
    {
        var policy = Policy(parsed);
        ArticleAvailability? articles = null;
        if (policy == CandidatePolicy.Available)
        {
            if (data.ArticleFile is null)
                throw new CliUsageException("--candidates available needs the article file (shared_articles.csv) in --data; none was found");
            articles = ArticleAvailability.Load(data.ArticleFile);
        }
        var protocol = Create(parsed, data.Dataset.Summary.SplitTime, testFraction, seed);
        var history = output.Status("Indexing the interaction history", () => InteractionHistory.Build(data.Log, data.MinItems, articles));
        IReadOnlyList<EvaluationFold> folds;
        try
        {
            bool validation = parsed.GetValue(EvaluateOn) switch
            {
                "test" => false,
                "validation" => true,
                var other => throw new CliUsageException($"--evaluate-on must be test or validation (got '{other}')"),
            };
            folds = output.Status($"Building the {protocol.Name} {(validation ? "validation" : "test")} folds ({policy.ToLabel()} candidates)",
                () => validation ? protocol.ValidationFolds(history, policy) : protocol.TestFolds(history, policy));
        }
        catch (InvalidOperationException ex) { throw new CliUsageException(ex.Message); }
        if (folds.Count == 0) throw new CliUsageException($"--protocol {protocol.Name}: no fold (the split time {data.Dataset.Summary.SplitTime} is after the last event)");
        return new ProtocolSetup(protocol, policy, history, folds);
    }

    /// <summary>The JSON fields every protocol evaluation adds (DESIGN section 8).</summary>
    public static void AddJson(JsonObject json, ProtocolEvaluationResult r)
    {
        json["protocol"] = r.Protocol;
        json["candidates"] = r.Policy.ToLabel();
        json["units"] = r.Units;
        json["folds"] = r.Folds.Count;
        json["ci"] = Intervals(r);
        json["random"] = new JsonObject
        {
            ["precision"] = r.Random.Precision, ["recall"] = r.Random.Recall,
            ["ndcg"] = r.Random.Ndcg, ["hit_rate"] = r.Random.Hit,
        };
        json["cold_share"] = r.ColdShare;
        json["warm_only"] = Means(r.WarmItemsOnly);
        json["new_only"] = Means(r.NewItemsOnly);
        json["candidate_coverage"] = r.CandidateCoverage;
        json["bootstrap"] = new JsonObject { ["resamples"] = r.Resamples, ["seed"] = r.Seed, ["level"] = 0.95 };
    }

    public static JsonObject Intervals(ProtocolEvaluationResult r)
    {
        var ci = new JsonObject();
        foreach (var (metric, (lo, hi)) in r.Intervals) ci[MetricName(metric)] = new JsonArray(lo, hi);
        return ci;
    }

    /// <summary>Means over a subset of units (warm-only, new-only): the metrics of <see cref="MetricsJson.Means"/> plus MRR and hit rate.</summary>
    public static JsonObject Means(RankingMetricMeans m)
    {
        var json = MetricsJson.Means(m, countKey: "units");
        json["mrr"] = m.Mrr;
        json["hit_rate"] = m.HitRate;
        return json;
    }

    public static string MetricName(ReportedMetric m) => m switch
    {
        ReportedMetric.HitRate => "hit_rate",
        _ => m.ToString().ToLowerInvariant(),
    };

    public static string F(double v) => v.ToString("0.0000", CultureInfo.InvariantCulture);
}

/// <summary>A protocol with its history and test folds.</summary>
internal sealed record ProtocolSetup(IEvaluationProtocol Protocol, CandidatePolicy Policy, InteractionHistory History, IReadOnlyList<EvaluationFold> Folds);
