using DeskdropML.Sparse;

namespace DeskdropML.Trainers.Warp;

/// <summary>
/// The raw learned state of a <see cref="WarpModelParameters"/> as plain arrays, for persistence:
/// <see cref="WarpModelParameters.ToArrays"/> returns copies, <see cref="WarpModelParameters.FromArrays"/>
/// validates and rebuilds a model (including the optimiser state, so training can continue).
/// </summary>
/// <remarks>
/// Feature spaces: the combined user feature space has <c>(UserIdentityFeatures ? users : 0)</c> identity columns
/// first, then the columns of <see cref="UserSideFeatures"/> (if any); items likewise. Embedding arrays are
/// feature-major (<c>[feature · NumberOfComponents + component]</c>).
/// </remarks>
public sealed class WarpModelArrays
{
    /// <summary>Number of latent components d.</summary>
    public required int NumberOfComponents { get; init; }

    /// <summary>The schedule the optimiser state belongs to.</summary>
    public required WarpLearningSchedule LearningSchedule { get; init; }

    /// <summary>Whether the user feature space starts with one identity column per user.</summary>
    public required bool UserIdentityFeatures { get; init; }

    /// <summary>Whether the item feature space starts with one identity column per item.</summary>
    public required bool ItemIdentityFeatures { get; init; }

    /// <summary>Users x user side features, or null.</summary>
    public CsrMatrix? UserSideFeatures { get; init; }

    /// <summary>Items x item side features, or null.</summary>
    public CsrMatrix? ItemSideFeatures { get; init; }

    /// <summary>User feature embeddings, length userFeatures · d.</summary>
    public required float[] UserEmbeddings { get; init; }

    /// <summary>User feature biases, length userFeatures.</summary>
    public required float[] UserBiases { get; init; }

    /// <summary>Item feature embeddings, length itemFeatures · d.</summary>
    public required float[] ItemEmbeddings { get; init; }

    /// <summary>Item feature biases, length itemFeatures.</summary>
    public required float[] ItemBiases { get; init; }

    /// <summary>Optimiser accumulators of the user embeddings (Adagrad: Σg² + 1; Adadelta: E[g²]).</summary>
    public required float[] UserEmbeddingAccumulators { get; init; }

    /// <summary>Optimiser accumulators of the user biases.</summary>
    public required float[] UserBiasAccumulators { get; init; }

    /// <summary>Optimiser accumulators of the item embeddings.</summary>
    public required float[] ItemEmbeddingAccumulators { get; init; }

    /// <summary>Optimiser accumulators of the item biases.</summary>
    public required float[] ItemBiasAccumulators { get; init; }

    /// <summary>Adadelta E[Δ²] of the user embeddings; null for Adagrad.</summary>
    public float[]? UserEmbeddingDeltas { get; init; }

    /// <summary>Adadelta E[Δ²] of the user biases; null for Adagrad.</summary>
    public float[]? UserBiasDeltas { get; init; }

    /// <summary>Adadelta E[Δ²] of the item embeddings; null for Adagrad.</summary>
    public float[]? ItemEmbeddingDeltas { get; init; }

    /// <summary>Adadelta E[Δ²] of the item biases; null for Adagrad.</summary>
    public float[]? ItemBiasDeltas { get; init; }

    /// <summary>Per user: true when the user's row had a stored entry in some training call.</summary>
    public required bool[] TrainedUsers { get; init; }

    /// <summary>Number of epochs trained so far (also selects the per-epoch random streams of later epochs).</summary>
    public required int EpochsTrained { get; init; }
}
