using DeskdropML.Evaluation;

namespace DeskdropML.Tuning;

/// <summary>The four top-k metrics the tuner records for a split (validation or test), with the number of users averaged.</summary>
/// <param name="Users">Evaluated users (users with at least one held-out pair).</param>
/// <param name="Precision">Mean precision@k.</param>
/// <param name="Recall">Mean recall@k.</param>
/// <param name="Ndcg">Mean NDCG@k.</param>
/// <param name="Map">MAP@k.</param>
public sealed record SplitMetrics(int Users, double Precision, double Recall, double Ndcg, double Map)
{
    /// <summary>Copies the means of an evaluation.</summary>
    public static SplitMetrics From(RankingEvaluationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new SplitMetrics(result.UsersEvaluated, result.Precision, result.Recall, result.Ndcg, result.Map);
    }

    /// <summary>The value of one metric.</summary>
    public double Get(TuningMetric metric) => metric switch
    {
        TuningMetric.Ndcg => Ndcg,
        TuningMetric.Precision => Precision,
        TuningMetric.Recall => Recall,
        TuningMetric.Map => Map,
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Unknown tuning metric; use Ndcg, Precision, Recall or Map."),
    };
}
