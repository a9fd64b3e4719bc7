using System.Globalization;
using System.Text.Json.Nodes;
using DeskdropML.Recommending;

namespace DeskdropML.Tuning;

/// <summary>
/// The outcome of <see cref="HyperparameterTuner"/>: every trial with its validation metrics, the selected
/// candidate, its validation metrics, and the metrics of the retrained winner on the test split (evaluated once).
/// </summary>
public sealed class TuningResult
{
    internal TuningResult(TuningMetric metric, int k, double validationFraction, IReadOnlyList<TrialResult> trials,
        TrialResult best, SplitMetrics test, double finalFitSeconds, IRecommenderModel finalModel)
    {
        Metric = metric;
        K = k;
        ValidationFraction = validationFraction;
        Trials = trials;
        Best = best;
        Test = test;
        FinalFitSeconds = finalFitSeconds;
        FinalModel = finalModel;
    }

    /// <summary>Always <c>"validation"</c>: the candidate was chosen on the carved validation split, never on test.</summary>
    public string SelectedOn => "validation";

    /// <summary>The selection metric.</summary>
    public TuningMetric Metric { get; }

    /// <summary>The cut-off k of every metric.</summary>
    public int K { get; }

    /// <summary>The fraction of the train time span carved off as validation.</summary>
    public double ValidationFraction { get; }

    /// <summary>Every trial in execution order.</summary>
    public IReadOnlyList<TrialResult> Trials { get; }

    /// <summary>The selected trial (best selection metric at the last rung, or at any rung with <see cref="HyperparameterTuner.Options.SelectAmongAllRungs"/>; ties go to the earlier trial). The final model is retrained at its budget.</summary>
    public TrialResult Best { get; }

    /// <summary>The selected hyperparameters.</summary>
    public TrialParameters BestParameters => Best.Parameters;

    /// <summary>The selected trial's metrics on the validation split.</summary>
    public SplitMetrics Validation => Best.Validation;

    /// <summary>Metrics of the winner retrained on the full train split, on the test split.</summary>
    public SplitMetrics Test { get; }

    /// <summary>Wall seconds of the final retraining.</summary>
    public double FinalFitSeconds { get; }

    /// <summary>The winner retrained on the full train split (with the cold-user fallback when enabled).</summary>
    public IRecommenderModel FinalModel { get; }

    /// <summary>Σ budget over all trials (the search's cost in budget units).</summary>
    public long TotalBudget => Trials.Sum(t => (long)t.Budget);

    /// <summary>
    /// The result in the shape of the <c>deskdrop tune --json</c> contract:
    /// <c>{"model", "selected_on": "validation", "metric", "k", "trials": [{"trial", "rung", "budget", "candidate",
    /// "seed", "params", "validation", "fit_seconds"}], "best": {params}, "best_budget", "validation": {metrics},
    /// "test": {"precision", "recall", "ndcg", "map", "users"}, "final_fit_seconds"}</c>.
    /// </summary>
    public JsonObject ToJson(string model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var trials = new JsonArray();
        foreach (var t in Trials)
        {
            trials.Add(new JsonObject
            {
                ["trial"] = t.Trial,
                ["rung"] = t.Rung,
                ["budget"] = t.Budget,
                ["candidate"] = t.Parameters.Candidate,
                ["seed"] = t.Parameters.Seed,
                ["params"] = ParametersJson(t.Parameters),
                ["validation"] = MetricsJson(t.Validation),
                ["fit_seconds"] = t.FitSeconds,
            });
        }
        return new JsonObject
        {
            ["model"] = model,
            ["selected_on"] = SelectedOn,
            ["metric"] = Metric.ToString().ToLowerInvariant(),
            ["k"] = K,
            ["validation_fraction"] = ValidationFraction,
            ["trials"] = trials,
            ["best"] = ParametersJson(BestParameters),
            ["best_budget"] = Best.Budget,
            ["validation"] = MetricsJson(Validation),
            ["test"] = MetricsJson(Test),
            ["final_fit_seconds"] = FinalFitSeconds,
        };
    }

    private static JsonObject MetricsJson(SplitMetrics m) => new()
    {
        ["precision"] = m.Precision,
        ["recall"] = m.Recall,
        ["ndcg"] = m.Ndcg,
        ["map"] = m.Map,
        ["users"] = m.Users,
    };

    private static JsonObject ParametersJson(TrialParameters p)
    {
        var o = new JsonObject();
        foreach (var (name, value) in p.Values)
        {
            o[name] = value switch
            {
                int i => JsonValue.Create(i),
                long l => JsonValue.Create(l),
                double d => JsonValue.Create(d),
                float f => JsonValue.Create((double)f),
                bool b => JsonValue.Create(b),
                _ => JsonValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture)),
            };
        }
        return o;
    }
}
