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
}
