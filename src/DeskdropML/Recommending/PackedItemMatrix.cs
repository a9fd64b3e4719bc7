using System.Numerics.Tensors;

namespace DeskdropML.Recommending;

/// <summary>
/// The packed item vectors of a factorization model stored slot-major (one contiguous row of <c>Items</c> floats per
/// packed slot), so that scoring a user against the whole catalogue is a sequence of vectorised
/// <c>scores += u[d] * column_d</c> updates rather than one short dot product per item.
/// </summary>
/// <remarks>
/// <c>scores[i] = sum over d = 0 .. P-1 of packedUser[d] * packedItem_i[d]</c>, accumulated in slot order d = 0, 1, ...
/// in blocks of <see cref="BlockSize"/> items that stay in the L1 cache. The result is deterministic (same input,
/// same bits) but may differ in the last bits from a dot product summed in another order.
/// </remarks>
public sealed class PackedItemMatrix
{
    /// <summary>Items per cache block.</summary>
    public const int BlockSize = 1024;

    private readonly float[] _slotMajor;

    /// <summary>Copies the packed item vectors of a model.</summary>
    public PackedItemMatrix(IFactorizationModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        Items = model.Items.Count;
        PackedLength = model.Dimension + 2;
        _slotMajor = new float[checked(Items * PackedLength)];
        var buffer = new float[PackedLength];
        for (int i = 0; i < Items; i++)
        {
            model.GetPackedItemVector(i, buffer);
            for (int d = 0; d < PackedLength; d++) _slotMajor[d * Items + i] = buffer[d];
        }
    }

    /// <summary>Number of items.</summary>
    public int Items { get; }

    /// <summary>Length of a packed vector (dimension + 2).</summary>
    public int PackedLength { get; }

    /// <summary>Writes the score of every item for one packed user vector.</summary>
    /// <param name="packedUser">Length <see cref="PackedLength"/>.</param>
    /// <param name="scores">Length <see cref="Items"/>.</param>
    public void Score(ReadOnlySpan<float> packedUser, Span<float> scores)
    {
        if (packedUser.Length != PackedLength)
            throw new ArgumentException($"packedUser has length {packedUser.Length}; expected {PackedLength}.", nameof(packedUser));
        if (scores.Length != Items)
            throw new ArgumentException($"scores has length {scores.Length}; expected one per item ({Items}).", nameof(scores));
        ReadOnlySpan<float> all = _slotMajor;
        for (int start = 0; start < Items; start += BlockSize)
        {
            int length = Math.Min(BlockSize, Items - start);
            Span<float> block = scores.Slice(start, length);
            TensorPrimitives.Multiply(all.Slice(start, length), packedUser[0], block);
            for (int d = 1; d < PackedLength; d++)
                TensorPrimitives.MultiplyAdd(all.Slice(d * Items + start, length), packedUser[d], block, block);
        }
    }
}
