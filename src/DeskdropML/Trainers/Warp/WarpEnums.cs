namespace DeskdropML.Trainers.Warp;

/// <summary>The per-sample loss optimised by <see cref="WarpTrainer"/>.</summary>
public enum WarpLoss
{
    /// <summary>
    /// Weighted Approximate-Rank Pairwise loss (Weston et al. 2011), as in LightFM. For a positive pair (u, i)
    /// with score s_ui, negatives j are drawn uniformly from the catalogue, or from the items seen in training
    /// (see <see cref="WarpNegativeSampling"/>), never a known positive of u, until
    /// one violates <c>s_uj &gt; s_ui - 1</c> or <c>MaxSampled</c> draws were made. With N draws to the
    /// violation the sample loss is <c>w_ui · L · (1 - s_ui + s_uj)</c> where
    /// <c>L = ln(max(1, floor((n - 1) / N)))</c> (capped at 10), n the number of negative candidates, estimates the rank of i.
    /// </summary>
    Warp,

    /// <summary>
    /// Bayesian Personalised Ranking: one negative j (not a known positive) per positive pair,
    /// loss <c>-w_ui · ln σ(s_ui - s_uj)</c>.
    /// </summary>
    Bpr,

    /// <summary>
    /// Pointwise logistic loss. A stored entry with value v &gt; 0 is a positive (label 1, weight v), one with
    /// v &lt; 0 an explicit negative (label 0, weight |v|); no negatives are sampled. Loss per entry
    /// <c>-w · [y ln σ(s) + (1 - y) ln(1 - σ(s))]</c>. With only positive entries this loss just pushes all
    /// observed scores up, so it needs explicit negatives to rank well (LightFM behaves the same way).
    /// </summary>
    Logistic,

    /// <summary>
    /// k-order-statistic WARP (Weston et al. 2013), as in LightFM: per user (each user with a positive once per
    /// epoch), draw min(N, |P_u|) positives with replacement, take the K-th highest-scored as the positive,
    /// then do a WARP step with it. Sample weights are not used (as in LightFM).
    /// </summary>
    KosWarp,
}

/// <summary>The per-parameter learning-rate schedule of <see cref="WarpTrainer"/>.</summary>
public enum WarpLearningSchedule
{
    /// <summary>
    /// Adagrad: each parameter θ keeps G (starting at 1); a step with gradient g is
    /// <c>θ ← θ - η g / √G</c>, then <c>G ← G + g²</c>.
    /// </summary>
    Adagrad,

    /// <summary>
    /// Adadelta (Zeiler 2012), as in LightFM: <c>E[g²] ← ρ E[g²] + (1-ρ) g²</c>,
    /// <c>Δ = g · √(E[Δ²] + ε) / √(E[g²] + ε)</c>, <c>θ ← θ - Δ</c>, <c>E[Δ²] ← ρ E[Δ²] + (1-ρ) Δ²</c>.
    /// The learning rate option is not used.
    /// </summary>
    Adadelta,
}

/// <summary>Which items <see cref="WarpTrainer"/> draws negatives from (WARP, BPR and k-OS WARP).</summary>
public enum WarpNegativeSampling
{
    /// <summary>Uniformly from the whole catalogue (every column of the interactions matrix), as LightFM does.
    /// Items without any training interaction are then only ever negatives, so their biases drift down.</summary>
    AllItems,

    /// <summary>
    /// Uniformly from the items that have at least one stored entry in the interactions matrix
    /// given to <see cref="WarpTrainer.Fit"/> (the training data; for <see cref="WarpTrainer.FitPartial"/> the matrix
    /// given there). Items outside that set receive no gradient through their own identity parameters; they are
    /// scored by whatever they share with trained items (side features) plus their initial parameters. The WARP rank
    /// weight uses the number of candidate items instead of the catalogue size. Uses training data only, so it does
    /// not leak test information; see docs/hybrid.md for when it helps.
    /// </summary>
    TrainItems,
}
