using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using DeskdropML.Recommending;
using DeskdropML.Trainers.Neighbors;
using DeskdropML.Tuning;

namespace DeskdropML.Cli.Models;

/// <summary>
/// <c>--model itemknn</c>: item-based nearest neighbours (cosine, TF-IDF or BM25 similarity, K neighbours per item);
/// with <c>--recency-half-life-days</c> the user's history is decayed, the similarity is learned from the undecayed
/// train matrix. Users without train interactions are ranked by the popularity fallback.
/// </summary>
internal sealed class ItemKnnModelSpec(ModelFlags flags) : ModelSpec, ITunableModel
{
    public override string Name => "itemknn";

    public string BudgetName => ClosedForm.BudgetName;

    public int MinBudget => 1;

    public int MaxBudget => 1;

    /// <summary>The item-kNN search space of <c>deskdrop tune</c> (documented in docs/tuning.md).</summary>
    public SearchSpace Space { get; } = new SearchSpace()
        .AddChoice("neighbors", 5, 10, 20, 50, 100, 200, 500)
        .AddChoice("weighting", "cosine", "tfidf", "bm25")
        .AddChoice("bm25_k1", 0.6, 1.2, 2.0, 5.0, 100.0)
        .AddChoice("bm25_b", 0.0, 0.25, 0.5, 0.75, 1.0)
        .AddChoice("recency_half_life_days", 0.0, 7.0, 14.0, 30.0, 60.0, 120.0);

    public TrialFit TrialFit(int threads) => (split, p, _) => new ItemKnnTrainer(new ItemKnnTrainer.Options
    {
        NumberOfNeighbors = p.GetInt("neighbors"),
        Weighting = ParseWeighting(p.GetString("weighting")),
        Bm25K1 = p.GetFloat("bm25_k1"),
        Bm25B = p.GetFloat("bm25_b"),
        NumberOfThreads = threads,
    }).Fit(split.Train, split.Users, split.Items, AlsModelSpec.Decayed(split, p));

    public override void AddOptions(Command command) { }

    internal static ItemKnnWeighting ParseWeighting(string name) => name switch
    {
        "cosine" => ItemKnnWeighting.Cosine,
        "tfidf" => ItemKnnWeighting.TfIdf,
        "bm25" => ItemKnnWeighting.Bm25,
        _ => throw new CliUsageException($"--weighting must be cosine, tfidf or bm25 for itemknn (got '{name}')"),
    };

    /// <summary>The trainer options the flags describe.</summary>
    public ItemKnnTrainer.Options Options(ParseResult p, int threads)
    {
        int neighbors = p.GetValue(flags.Neighbors) ?? 20;
        if (neighbors < 1) throw new CliUsageException($"--neighbors must be >= 1 (got {neighbors})");
        return new ItemKnnTrainer.Options
        {
            NumberOfNeighbors = neighbors,
            Weighting = ParseWeighting(p.GetValue(flags.Weighting) ?? "cosine"),
            Bm25K1 = (float)flags.Bm25K1Value(p, 1.2),
            Bm25B = (float)flags.Bm25BValue(p, 0.75),
            NumberOfThreads = threads,
        };
    }

    public override FittedModel Fit(FitRequest request)
    {
        var options = Options(request.Parsed, request.Threads);
        var ds = request.Dataset;
        var history = flags.TrainMatrix(request.Parsed, ds);
        var sw = Stopwatch.StartNew();
        var model = request.Output.Status($"Item-kNN ({options.Weighting}, {options.NumberOfNeighbors} neighbours)",
            () => new ItemKnnTrainer(options).Fit(ds.Train, ds.Users, ds.Items, history));
        sw.Stop();
        var parameters = new JsonObject
        {
            ["neighbors"] = options.NumberOfNeighbors,
            ["weighting"] = options.Weighting.ToString(),
            ["bm25_k1"] = options.Bm25K1,
            ["bm25_b"] = options.Bm25B,
            ["recency_half_life_days"] = request.Parsed.GetValue(flags.RecencyHalfLifeDays),
            ["stored_similarities"] = model.Neighbors.NonZeroCount,
            ["threads"] = options.NumberOfThreads,
        };
        return new FittedModel(model, new ColdUserFallbackModel(model, ds.Train).ScoreItems, parameters, sw.Elapsed.TotalSeconds);
    }
}

/// <summary>What the closed-form models (item-kNN, EASE, PureSVD) share in <c>deskdrop tune</c>.</summary>
internal static class ClosedForm
{
    /// <summary>They have no iterative budget: every trial is one fit at budget 1, i.e. plain random search.</summary>
    public const string BudgetName = "fits";
}
