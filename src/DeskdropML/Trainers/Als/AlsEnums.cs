namespace DeskdropML.Trainers.Als;

/// <summary>How an interaction strength <c>r</c> becomes the confidence <c>c</c> of the implicit ALS loss.</summary>
/// <remarks>
/// The implicit loss is <c>sum over all (u, i) of c_ui (p_ui - x_u · y_i)^2 + lambda (sum_u |x_u|^2 + sum_i |y_i|^2)</c>
/// with preference <c>p_ui = 1</c> for stored entries with <c>r_ui &gt; 0</c> and <c>p_ui = 0</c> elsewhere.
/// A stored entry whose (weighted) strength is 0 is treated like a missing one (<c>c = 1, p = 0</c>).
/// </remarks>
public enum AlsConfidence
{
    /// <summary>
    /// Hu, Koren and Volinsky (2008): <c>c_ui = 1 + alpha * r_ui</c> for stored entries, <c>c_ui = 1</c> elsewhere.
    /// </summary>
    OnePlusAlphaR = 0,

    /// <summary>
    /// What the Python library <c>implicit</c> 0.7 does: <c>c_ui = alpha * r_ui</c> for stored entries (preference 1),
    /// <c>c_ui = 1</c> (preference 0) elsewhere; in its formulation the diagonal of <c>C_u - I</c> on stored entries is
    /// <c>alpha * r_ui - 1</c>, which is negative when <c>alpha * r_ui &lt; 1</c> (the stored entry then weighs less
    /// than a missing one).
    /// </summary>
    AlphaR = 1,
}

/// <summary>How each half-step solves its per-row normal equations.</summary>
public enum AlsSolver
{
    /// <summary>
    /// A few conjugate-gradient steps (<see cref="AlsTrainer.Options.ConjugateGradientSteps"/>) warm-started from the
    /// previous factors, matrix-free (Takács, Pilászy and Tikk 2011; the default of <c>implicit</c>).
    /// </summary>
    ConjugateGradient = 0,

    /// <summary>Forms the k x k normal matrix and solves it exactly with a Cholesky factorization.</summary>
    Cholesky = 1,
}

/// <summary>Which loss the trainer minimises.</summary>
public enum AlsFeedback
{
    /// <summary>The implicit-feedback loss over all (user, item) pairs with confidences (see <see cref="AlsConfidence"/>).</summary>
    Implicit = 0,

    /// <summary>
    /// Regularised least squares over the stored entries only:
    /// <c>sum over stored (u, i) of (r_ui - x_u · y_i)^2 + lambda (sum_u |x_u|^2 + sum_i |y_i|^2)</c>;
    /// a stored 0 is an observed rating of 0.
    /// </summary>
    Explicit = 1,
}

/// <summary>Optional re-weighting of the interaction matrix before training (like <c>implicit.nearest_neighbours</c>).</summary>
/// <remarks>
/// As in <c>implicit</c>'s examples, the weighting treats the <em>item x user</em> matrix as a document x term matrix:
/// items are documents, users are terms. With N the number of items and <c>df_u</c> the number of stored entries of
/// user u, <c>idf_u = ln N - ln(1 + df_u)</c>. Weights below 0 (a user with nearly every item) are clamped to 0.
/// </remarks>
public enum AlsWeighting
{
    /// <summary>Strengths are used as given.</summary>
    None = 0,

    /// <summary>
    /// Okapi BM25: <c>w_ui = r_ui (K1 + 1) / (K1 * L_i + r_ui) * idf_u</c> with the item length norm
    /// <c>L_i = (1 - B) + B * s_i / mean(s)</c>, <c>s_i</c> the sum of item i's strengths and the mean over all items.
    /// K1 and B are <see cref="AlsTrainer.Options.Bm25K1"/> (100) and <see cref="AlsTrainer.Options.Bm25B"/> (0.8).
    /// </summary>
    Bm25 = 1,

    /// <summary>TF-IDF: <c>w_ui = sqrt(r_ui) * idf_u</c>.</summary>
    TfIdf = 2,
}
