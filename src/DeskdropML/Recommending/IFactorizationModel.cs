using DeskdropML.Sparse;

namespace DeskdropML.Recommending;

/// <summary>
/// A model whose score is an inner product of a user vector and an item vector plus biases:
/// <c>score(u, i) = p_u · q_i + b_u + b_i</c>. WARP (after summing feature embeddings) and ALS
/// (biases zero) both have this form, which lets them share the ML.NET scoring transformer, the model zip
/// format and fast top-k.
/// </summary>
/// <remarks>
/// The <em>packed</em> vectors have length <see cref="Dimension"/> + 2 and turn the score into one dot product:
/// user packed = <c>[p_u, b_u, 1]</c>, item packed = <c>[q_i, 1, b_i]</c>, so
/// <c>score = packedUser · packedItem</c>.
/// </remarks>
public interface IFactorizationModel : IWarmUserModel
{
    /// <summary>Number of latent dimensions (without the two bias slots).</summary>
    int Dimension { get; }

    /// <summary>Writes the packed user vector (length <see cref="Dimension"/> + 2).</summary>
    void GetPackedUserVector(int userIndex, Span<float> packed);

    /// <summary>Writes the packed item vector (length <see cref="Dimension"/> + 2).</summary>
    void GetPackedItemVector(int itemIndex, Span<float> packed);
}
