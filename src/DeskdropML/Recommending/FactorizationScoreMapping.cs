using System.ComponentModel;
using System.Numerics.Tensors;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace DeskdropML.Recommending;

/// <summary>
/// Input row of the stateless score mapping used inside <see cref="FactorizationScoringTransformer"/>.
/// Public only because ML.NET's <c>CustomMapping</c> reflects on it; not meant to be used directly.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class FactorizationScoreInput
{
    /// <summary>Packed user vector <c>[p_u, b_u, 1]</c>, or empty when the user has no trained vector.</summary>
    [ColumnName(FactorizationScoringTransformer.UserVectorColumnName)]
    public float[] UserVector = Array.Empty<float>();

    /// <summary>Packed item vector followed by the item's fallback score: <c>[q_i, 1, b_i, f_i]</c>, or empty for an unknown item.</summary>
    [ColumnName(FactorizationScoringTransformer.ItemVectorColumnName)]
    public float[] ItemVector = Array.Empty<float>();
}

/// <summary>
/// Output row of the stateless score mapping used inside <see cref="FactorizationScoringTransformer"/>.
/// Public only because ML.NET's <c>CustomMapping</c> reflects on it; not meant to be used directly.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class FactorizationScoreOutput
{
    /// <summary>The score of the (user, item) row.</summary>
    [ColumnName(FactorizationScoringTransformer.ScoreColumnName)]
    public float Score;
}

/// <summary>
/// The stateless mapping "packed user vector, extended item vector -> score", registered under the
/// versioned contract name <see cref="ContractName"/> so that saved model zips find it again when loaded.
/// </summary>
/// <remarks>
/// Rules (see <see cref="FactorizationScoringTransformer"/>):
/// unknown item (empty item vector) gives <see cref="float.NaN"/>;
/// user without a trained vector (empty user vector) gives the item's fallback score <c>f_i</c> (last slot);
/// otherwise the score is <c>user · item[0 .. user.Length)</c>, computed with <see cref="TensorPrimitives.Dot(ReadOnlySpan{float}, ReadOnlySpan{float})"/>.
/// A user vector whose length does not match the item vector (a corrupt model) gives NaN.
/// Never rename or change the meaning of this contract: old zips load through it. A new behaviour needs a new
/// class with a new contract name (".v2").
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
[CustomMappingFactoryAttribute(ContractName)]
public sealed class FactorizationScoreMappingFactory : CustomMappingFactory<FactorizationScoreInput, FactorizationScoreOutput>
{
    /// <summary>The contract name written into model zips.</summary>
    public const string ContractName = "DeskdropML.FactorizationScore.v1";

    /// <summary>Computes one row's score following the rules in the remarks.</summary>
    public static void Map(FactorizationScoreInput input, FactorizationScoreOutput output)
    {
        float[] item = input.ItemVector;
        float[] user = input.UserVector;
        if (item is null || item.Length == 0)
            output.Score = float.NaN;
        else if (user is null || user.Length == 0)
            output.Score = item[^1];
        else if (user.Length != item.Length - 1)
            output.Score = float.NaN;
        else
            output.Score = TensorPrimitives.Dot(user, item.AsSpan(0, user.Length));
    }

    /// <inheritdoc />
    public override Action<FactorizationScoreInput, FactorizationScoreOutput> GetMapping() => Map;
}
