using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace DeskdropML.Recommending;

/// <summary>
/// The packed item vectors of a factorization model laid out for fast whole-catalogue scoring: items are grouped in
/// tiles of <see cref="TileItems"/>, and each tile stores slot 0 of its items, then slot 1, and so on, so that a tile
/// is one contiguous run of memory and its scores are accumulated in vector registers.
/// </summary>
/// <remarks>
/// <para><c>scores[i] = packedUser · packedItem_i</c>, evaluated for every item as the fused multiply-add chain
/// <c>acc = fma(packedItem_i[d], packedUser[d], acc)</c> for d = 0, 1, ..., P-1 starting from 0. Each step is a
/// correctly rounded FMA, so the result depends only on the two vectors: single-user and batched scoring, any vector
/// width and any block size give the same bits. It may differ in the last bits from a dot product summed in another
/// order.</para>
/// <para>Speed: the catalogue is processed in blocks of about 256 KiB of item data that stay in the L2 cache while all
/// users of a batch are scored against them, four users at a time (each item vector load feeds four FMAs).</para>
/// </remarks>
public sealed class PackedItemMatrix
{
    /// <summary>Items per tile (two 256-bit vectors).</summary>
    public const int TileItems = 16;

    private const int UsersPerKernel = 4;

    private readonly float[] _tiles; // [tile][slot][TileItems], zero padded past the last item
    private readonly int _tileCount;

    /// <summary>Copies the packed item vectors of a model.</summary>
    public PackedItemMatrix(IFactorizationModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        Items = model.Items.Count;
        PackedLength = model.Dimension + 2;
        _tileCount = (Items + TileItems - 1) / TileItems;
        _tiles = new float[checked(_tileCount * PackedLength * TileItems)];
        var buffer = new float[PackedLength];
        for (int i = 0; i < Items; i++)
        {
            model.GetPackedItemVector(i, buffer);
            int tileBase = i / TileItems * PackedLength * TileItems, lane = i % TileItems;
            for (int d = 0; d < PackedLength; d++) _tiles[tileBase + d * TileItems + lane] = buffer[d];
        }
        BlockTiles = Math.Max(1, 65536 / (PackedLength * TileItems));
    }

    /// <summary>Number of items.</summary>
    public int Items { get; }

    /// <summary>Length of a packed vector (dimension + 2).</summary>
    public int PackedLength { get; }

    /// <summary>Tiles per cache block (about 256 KiB of item data).</summary>
    public int BlockTiles { get; }

    /// <summary>Writes the score of every item for one packed user vector.</summary>
    /// <param name="packedUser">Length <see cref="PackedLength"/>.</param>
    /// <param name="scores">Length <see cref="Items"/>.</param>
    public void Score(ReadOnlySpan<float> packedUser, Span<float> scores)
    {
        if (packedUser.Length != PackedLength)
            throw new ArgumentException($"packedUser has length {packedUser.Length}; expected {PackedLength}.", nameof(packedUser));
        if (scores.Length != Items)
            throw new ArgumentException($"scores has length {scores.Length}; expected one per item ({Items}).", nameof(scores));
        ScoreBatchCore(packedUser, 1, scores);
    }

    /// <summary>
    /// The score of one item for one packed user vector: the same FMA chain, in the same order, as the tiled kernels, so
    /// the same bits as <see cref="Score"/> gives for that item.
    /// </summary>
    internal float ScoreItem(ReadOnlySpan<float> packedUser, int item)
    {
        int p = PackedLength;
        ref float data = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_tiles), item / TileItems * p * TileItems + item % TileItems);
        ref float u = ref MemoryMarshal.GetReference(packedUser);
        float acc = 0f;
        for (int d = 0; d < p; d++) acc = MathF.FusedMultiplyAdd(Unsafe.Add(ref data, d * TileItems), Unsafe.Add(ref u, d), acc);
        return acc;
    }

    /// <summary>
    /// <see cref="ScoreItem"/> for a list of items, four independent FMA chains at a time (a single chain waits on
    /// each FMA's latency); the same bits as <see cref="ScoreItem"/>.
    /// </summary>
    internal void ScoreItems(ReadOnlySpan<float> packedUser, ReadOnlySpan<int> items, Span<float> scores)
    {
        int p = PackedLength, n = items.Length, j = 0;
        ref float tiles = ref MemoryMarshal.GetArrayDataReference(_tiles);
        ref float u = ref MemoryMarshal.GetReference(packedUser);
        for (; j + 4 <= n; j += 4)
        {
            ref float d0 = ref Unsafe.Add(ref tiles, items[j] / TileItems * p * TileItems + items[j] % TileItems);
            ref float d1 = ref Unsafe.Add(ref tiles, items[j + 1] / TileItems * p * TileItems + items[j + 1] % TileItems);
            ref float d2 = ref Unsafe.Add(ref tiles, items[j + 2] / TileItems * p * TileItems + items[j + 2] % TileItems);
            ref float d3 = ref Unsafe.Add(ref tiles, items[j + 3] / TileItems * p * TileItems + items[j + 3] % TileItems);
            float a0 = 0f, a1 = 0f, a2 = 0f, a3 = 0f;
            for (int d = 0; d < p; d++)
            {
                float w = Unsafe.Add(ref u, d);
                int o = d * TileItems;
                a0 = MathF.FusedMultiplyAdd(Unsafe.Add(ref d0, o), w, a0);
                a1 = MathF.FusedMultiplyAdd(Unsafe.Add(ref d1, o), w, a1);
                a2 = MathF.FusedMultiplyAdd(Unsafe.Add(ref d2, o), w, a2);
                a3 = MathF.FusedMultiplyAdd(Unsafe.Add(ref d3, o), w, a3);
            }
            scores[j] = a0; scores[j + 1] = a1; scores[j + 2] = a2; scores[j + 3] = a3;
        }
        for (; j < n; j++) scores[j] = ScoreItem(packedUser, items[j]);
    }

    /// <summary>
    /// Scores several users at once: <paramref name="packedUsers"/> holds <paramref name="userCount"/> packed vectors
    /// back to back, <paramref name="scores"/> receives <c>userCount</c> rows of <see cref="Items"/> scores.
    /// </summary>
    public void ScoreBatch(ReadOnlySpan<float> packedUsers, int userCount, Span<float> scores)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(userCount);
        if (packedUsers.Length != userCount * PackedLength)
            throw new ArgumentException($"packedUsers has length {packedUsers.Length}; expected userCount * {PackedLength} = {userCount * PackedLength}.", nameof(packedUsers));
        if (scores.Length != userCount * Items)
            throw new ArgumentException($"scores has length {scores.Length}; expected userCount * Items = {userCount * Items}.", nameof(scores));
        ScoreBatchCore(packedUsers, userCount, scores);
    }

    private void ScoreBatchCore(ReadOnlySpan<float> packedUsers, int userCount, Span<float> scores)
    {
        int p = PackedLength, items = Items;
        Span<float> scratch = stackalloc float[UsersPerKernel * TileItems]; // the last, partial tile
        ref float users = ref MemoryMarshal.GetReference(packedUsers);
        ref float output = ref MemoryMarshal.GetReference(scores);
        ref float tiles = ref MemoryMarshal.GetArrayDataReference(_tiles);
        for (int firstTile = 0; firstTile < _tileCount; firstTile += BlockTiles)
        {
            int endTile = Math.Min(firstTile + BlockTiles, _tileCount);
            int b = 0;
            for (; b + UsersPerKernel <= userCount; b += UsersPerKernel)
            {
                ref float u = ref Unsafe.Add(ref users, b * p);
                for (int t = firstTile; t < endTile; t++)
                {
                    ref float data = ref Unsafe.Add(ref tiles, t * p * TileItems);
                    int first = t * TileItems, valid = Math.Min(TileItems, items - first);
                    if (valid == TileItems)
                    {
                        ref float row = ref Unsafe.Add(ref output, b * items + first);
                        Kernel4(ref u, p, ref data, ref row, items);
                    }
                    else
                    {
                        Kernel4(ref u, p, ref data, ref MemoryMarshal.GetReference(scratch), TileItems);
                        for (int j = 0; j < UsersPerKernel; j++)
                            scratch.Slice(j * TileItems, valid).CopyTo(scores.Slice((b + j) * items + first, valid));
                    }
                }
            }
            for (; b < userCount; b++)
            {
                ref float u = ref Unsafe.Add(ref users, b * p);
                for (int t = firstTile; t < endTile; t++)
                {
                    ref float data = ref Unsafe.Add(ref tiles, t * p * TileItems);
                    int first = t * TileItems, valid = Math.Min(TileItems, items - first);
                    if (valid == TileItems)
                    {
                        Kernel1(ref u, p, ref data, ref Unsafe.Add(ref output, b * items + first));
                    }
                    else
                    {
                        Kernel1(ref u, p, ref data, ref MemoryMarshal.GetReference(scratch));
                        scratch[..valid].CopyTo(scores.Slice(b * items + first, valid));
                    }
                }
            }
        }
    }

    /// <summary>
    /// One tile x four users (packed vectors at <paramref name="u"/>, stride p): each loaded item vector feeds four
    /// FMAs. Writes 16 scores per user at <paramref name="dst"/> + user * <paramref name="dstStride"/>. No calls inside,
    /// so the eight accumulators stay in registers.
    /// </summary>
    private static void Kernel4(ref float u, int p, ref float data, ref float dst, int dstStride)
    {
        ref float u1 = ref Unsafe.Add(ref u, p);
        ref float u2 = ref Unsafe.Add(ref u, 2 * p);
        ref float u3 = ref Unsafe.Add(ref u, 3 * p);
        Vector256<float> a0 = default, b0 = default, a1 = default, b1 = default;
        Vector256<float> a2 = default, b2 = default, a3 = default, b3 = default;
        for (int d = 0; d < p; d++)
        {
            var x = Vector256.LoadUnsafe(ref data, (nuint)(d * TileItems));
            var y = Vector256.LoadUnsafe(ref data, (nuint)(d * TileItems + 8));
            var w = Vector256.Create(Unsafe.Add(ref u, d));
            a0 = Vector256.FusedMultiplyAdd(x, w, a0); b0 = Vector256.FusedMultiplyAdd(y, w, b0);
            w = Vector256.Create(Unsafe.Add(ref u1, d));
            a1 = Vector256.FusedMultiplyAdd(x, w, a1); b1 = Vector256.FusedMultiplyAdd(y, w, b1);
            w = Vector256.Create(Unsafe.Add(ref u2, d));
            a2 = Vector256.FusedMultiplyAdd(x, w, a2); b2 = Vector256.FusedMultiplyAdd(y, w, b2);
            w = Vector256.Create(Unsafe.Add(ref u3, d));
            a3 = Vector256.FusedMultiplyAdd(x, w, a3); b3 = Vector256.FusedMultiplyAdd(y, w, b3);
        }
        a0.StoreUnsafe(ref dst); b0.StoreUnsafe(ref dst, 8);
        a1.StoreUnsafe(ref dst, (nuint)dstStride); b1.StoreUnsafe(ref dst, (nuint)(dstStride + 8));
        a2.StoreUnsafe(ref dst, (nuint)(2 * dstStride)); b2.StoreUnsafe(ref dst, (nuint)(2 * dstStride + 8));
        a3.StoreUnsafe(ref dst, (nuint)(3 * dstStride)); b3.StoreUnsafe(ref dst, (nuint)(3 * dstStride + 8));
    }

    /// <summary>One tile x one user (the same FMA chain per item as <see cref="Kernel4"/>).</summary>
    private static void Kernel1(ref float u, int p, ref float data, ref float dst)
    {
        Vector256<float> a = default, b = default;
        for (int d = 0; d < p; d++)
        {
            var w = Vector256.Create(Unsafe.Add(ref u, d));
            a = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref data, (nuint)(d * TileItems)), w, a);
            b = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref data, (nuint)(d * TileItems + 8)), w, b);
        }
        a.StoreUnsafe(ref dst);
        b.StoreUnsafe(ref dst, 8);
    }
}
