namespace DeskdropML.Baselines;

/// <summary>How <see cref="EstimatorRecommender"/> presents user and item ids to the estimator.</summary>
public enum IdColumnKind
{
    /// <summary>Text columns holding the external id strings (default); the estimator maps them itself.</summary>
    Text,

    /// <summary>
    /// Key columns (<c>uint</c>, 1-based: id index + 1) with key counts |users| and |items| — what
    /// <c>MatrixFactorizationTrainer</c> consumes directly.
    /// </summary>
    Key,
}
