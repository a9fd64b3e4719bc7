namespace DeskdropML.Evaluation.Protocols;

/// <summary>
/// Which items a model may rank for an evaluation fold that starts at time t (DESIGN section 7).
/// </summary>
/// <remarks>
/// In every policy the user's earlier items (the user's row of the fold's train matrix) are removed from the
/// ranking and from relevance. Relevant items outside the candidates are not counted as misses: they are left out
/// of the relevant sets and counted in <see cref="EvaluationFold.RelevantPairsOutsideCandidates"/>.
/// </remarks>
public enum CandidatePolicy
{
    /// <summary>
    /// Every item with at least one kept pair in the whole log, train or test: the notebook's protocol. It
    /// <b>leaks</b>: an item without a train interaction is in the catalogue only because someone interacts with it
    /// in the test period, so "has no train interaction" predicts relevance. Kept only to reproduce the notebook;
    /// every output that uses it says <c>catalog (leaky)</c>.
    /// </summary>
    Catalog,

    /// <summary>Items with at least one train event (any kept user) before the fold start. The default of every leak-free protocol.</summary>
    Seen,

    /// <summary>
    /// <see cref="Seen"/> plus the items whose article was shared (CONTENT SHARED) before the fold start and not
    /// removed (CONTENT REMOVED) before it, from the article file; those items can only be scored from content.
    /// Articles without a timestamp are never added (their sharing time is unknown).
    /// </summary>
    Available,
}

/// <summary>Names of candidate policies on the command line and in JSON.</summary>
public static class CandidatePolicyNames
{
    /// <summary>The label written in outputs: <c>catalog (leaky)</c>, <c>seen</c> or <c>available</c>.</summary>
    public static string ToLabel(this CandidatePolicy policy) => policy switch
    {
        CandidatePolicy.Catalog => "catalog (leaky)",
        CandidatePolicy.Seen => "seen",
        CandidatePolicy.Available => "available",
        _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, "Unknown candidate policy."),
    };

    /// <summary>Parses <c>catalog</c>, <c>seen</c> or <c>available</c>.</summary>
    /// <exception cref="ArgumentException">Any other name.</exception>
    public static CandidatePolicy Parse(string name) => name switch
    {
        "catalog" => CandidatePolicy.Catalog,
        "seen" => CandidatePolicy.Seen,
        "available" => CandidatePolicy.Available,
        _ => throw new ArgumentException($"Unknown candidate policy '{name}' (known: catalog, seen, available).", nameof(name)),
    };
}
