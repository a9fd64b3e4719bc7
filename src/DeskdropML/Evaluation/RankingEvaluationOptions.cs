namespace DeskdropML.Evaluation;

/// <summary>Options of <see cref="RankingEvaluator"/>.</summary>
public sealed class RankingEvaluationOptions
{
    /// <summary>The cut-off k: metrics look at each user's top k items. Must be &gt; 0. Default 10.</summary>
    public int K = 10;

    /// <summary>
    /// When true (default) the user's training items are removed from the candidates before the top k is taken,
    /// so that only new items can be recommended. False ranks the whole catalogue, which reproduces
    /// <c>lightfm.evaluation.precision_at_k(model, test)</c> called without <c>train_interactions</c>.
    /// </summary>
    public bool ExcludeTrainItems = true;

    /// <summary>
    /// Number of worker threads scoring users; null (default) means <see cref="Environment.ProcessorCount"/>.
    /// Must be &gt; 0 when given. Results are bit-identical for every thread count.
    /// </summary>
    public int? NumberOfThreads;

    /// <summary>
    /// The items that may be ranked (true = candidate), one entry per item; null (default) = every item. Relevant
    /// items outside the candidates can never be hit but still count in |T_u| (protocol folds leave them out of the
    /// relevant sets beforehand, see <see cref="Protocols.EvaluationFold"/>).
    /// </summary>
    public bool[]? Candidates;

    /// <summary>
    /// When true (default) each unit is also ranked among warm candidates only (items with a training entry) and among
    /// new candidates only (items without one), with relevance restricted the same way; see
    /// <see cref="RankingEvaluationResult.WarmItemsOnly"/>. Costs two extra top-k selections per unit.
    /// </summary>
    public bool ItemSubsetDiagnostics = true;
}
