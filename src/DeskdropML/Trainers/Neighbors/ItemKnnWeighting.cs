namespace DeskdropML.Trainers.Neighbors;

/// <summary>
/// How <see cref="ItemKnnTrainer"/> weights the user x item strengths <c>r_ui</c> before the item-item similarity
/// <c>S_ij = Σ_u w_ui w_uj</c> is computed — the definitions of <c>implicit</c>'s <c>CosineRecommender</c>,
/// <c>TFIDFRecommender</c> and <c>BM25Recommender</c>, with items as documents and users as terms.
/// </summary>
/// <remarks>
/// Notation: <c>I</c> items, <c>n_u</c> = number of stored entries of user u, <c>idf_u = ln(I) - ln(1 + n_u)</c>,
/// <c>c_i = Σ_u r_ui</c> (an item's total strength), <c>c̄</c> = the mean of <c>c_i</c> over all I items.
/// A column whose norm is 0 gets weights 0 (it has no neighbours).
/// </remarks>
public enum ItemKnnWeighting
{
    /// <summary><c>w_ui = r_ui / ||r_·i||</c>: S is the cosine similarity of the item columns. The default.</summary>
    Cosine = 0,

    /// <summary><c>t_ui = sqrt(r_ui) idf_u</c>, then <c>w_ui = t_ui / ||t_·i||</c> (cosine of the TF-IDF columns).</summary>
    TfIdf = 1,

    /// <summary>
    /// <c>w_ui = r_ui (K1 + 1) / (K1 L_i + r_ui) idf_u</c> with the length norm <c>L_i = (1 - B) + B c_i / c̄</c>
    /// (<see cref="ItemKnnTrainer.Options.Bm25K1"/>, <see cref="ItemKnnTrainer.Options.Bm25B"/>); not normalised.
    /// </summary>
    Bm25 = 2,
}
