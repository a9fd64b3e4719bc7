namespace DeskdropML.Tuning;

/// <summary>The validation metric the tuner maximizes (all at the tuner's cut-off k, default 10).</summary>
public enum TuningMetric
{
    /// <summary>Mean NDCG@k (the default).</summary>
    Ndcg,

    /// <summary>Mean precision@k.</summary>
    Precision,

    /// <summary>Mean recall@k.</summary>
    Recall,

    /// <summary>MAP@k.</summary>
    Map,
}
