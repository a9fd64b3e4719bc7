using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace DeskdropML.Recommending;

/// <summary>
/// A 16-bit integer copy of a factorization model's packed item vectors for a cheap first pass of top-k: for every
/// user and item it yields an interval <c>[lower, upper]</c> that provably contains the exact score
/// (<see cref="PackedItemMatrix"/>'s FMA chain), from integer dot products twice as dense per instruction as float
/// FMAs (<see cref="AvxVnni"/> <c>vpdpwssd</c>: 16 products per 256-bit instruction against 8).
/// </summary>
/// <remarks>
/// <para><b>Codes.</b> With Q = floor(sqrt((2^31 - 1) / P)) (5,704 for 64 factors), so that no 32-bit sum of P
/// products can wrap: item i has scale <c>s_i = max_d |v_id| / Q</c> and codes <c>q_id = round(v_id / s_i)</c> in
/// [-Q, Q]; user u likewise <c>s_u</c> and <c>r_d</c>. The integer sum <c>sum_d r_d q_id</c> is exact, and the
/// approximate score is <c>a_ui = s_u s_i sum_d r_d q_id</c>. (Eight-bit codes were tried first: four times denser,
/// but their bound left about 750 of 20,000 items per user to re-score on synthetic-2m, which cost more than it saved.)</para>
/// <para><b>Bound.</b> With the measured code errors <c>e_i = max_d |v_id - s_i q_id|</c>, <c>e_u = max_d |u_d - s_u r_d|</c>
/// (computed in double when the codes are made), <c>U1 = sum_d |u_d|</c>, <c>V1_i = s_i sum_d |q_id|</c> and
/// <c>M_i = max_d |v_id|</c>:
/// <code>
/// |exact_ui - a_ui| &lt;= e_i U1 + e_u V1_i + c U1 M_i,     c = 2e-6 + 2 P 2^-24
/// </code>
/// The first two terms bound <c>sum_d u_d v_id - sum_d (s_u r_d)(s_i q_id)</c>; the third covers the float rounding
/// of the exact FMA chain (at most P 2^-24 / (1 - P 2^-24) U1 M_i), of converting and scaling the integer sum (below
/// 2e-7 U1 M_i) and of the bound's own evaluation, so the interval holds for the computed floats, not only in real
/// arithmetic.</para>
/// <para><b>Exact top-k.</b> Let L be the k-th largest lower bound among a user's eligible items. Every item whose
/// upper bound is below L has an exact score below at least k other eligible items' exact scores, so it is not in
/// the exact top k under any tie rule. The remaining candidates (usually a few dozen) are scored exactly and selected
/// with <see cref="TopK.Select"/>, in increasing item order, so the list — ties by lower item index included — is
/// the exact path's list (tested item for item).</para>
/// <para><b>Memory.</b> <c>I (4 ceil(P/2) + 12)</c> bytes for I items (rounded up to 24 items).</para>
/// </remarks>
internal sealed class QuantizedItemMatrix
{
    /// <summary>Items per tile: eight 32-bit lanes.</summary>
    public const int TileItems = 8;

    /// <summary>
    /// Tiles per kernel pass: the kernel holds three tiles for four users in twelve registers, enough independent
    /// accumulation chains to cover the latency of <c>vpdpwssd</c> (eight chains measured 22% slower).
    /// </summary>
    private const int TilesPerPass = 3;

    /// <summary>Codes per tile and group of two dimensions.</summary>
    private const int GroupCodes = TileItems * 2;

    private readonly short[] _codes;     // [tile][group][item lane][2 dims]
    private readonly short _maxCode;
    private readonly float[] _scales;    // [item]: s_i
    private readonly float[] _userL1Coefficient;  // [item]: e_i + c M_i
    private readonly float[] _userErrorCoefficient; // [item]: V1_i
    private readonly float _slack;

    private QuantizedItemMatrix(int items, int packedLength)
    {
        Items = items;
        PackedLength = packedLength;
        Groups = (packedLength + 1) / 2;
        int tiles = (items + TileItems * TilesPerPass - 1) / (TileItems * TilesPerPass) * TilesPerPass;
        PaddedItems = tiles * TileItems;
        _codes = new short[checked(tiles * Groups * GroupCodes)];
        _maxCode = (short)Math.Min(short.MaxValue, (int)Math.Floor(Math.Sqrt(int.MaxValue / (double)(2 * Groups))));
        _scales = new float[PaddedItems];
        _userL1Coefficient = new float[PaddedItems];
        _userErrorCoefficient = new float[PaddedItems];
        _slack = 2e-6f + 2f * packedLength / (1 << 24);
    }

    /// <summary>Number of items.</summary>
    public int Items { get; }

    /// <summary>Items rounded up to whole kernel passes (the stride of <see cref="Bounds"/>' output rows).</summary>
    public int PaddedItems { get; }

    /// <summary>Length of a packed vector (dimension + 2).</summary>
    public int PackedLength { get; }

    /// <summary>Pairs of dimensions (the packed vector zero-padded to an even length).</summary>
    public int Groups { get; }

    /// <summary>Codes of one user (16-bit each).</summary>
    public int UserCodeLength => Groups * 2;

    /// <summary>True when this processor has the 256-bit 16-bit-integer dot-product instruction (AVX-VNNI) the first pass needs.</summary>
    public static bool IsSupported => AvxVnni.IsSupported;

    /// <summary>
    /// Quantizes a model's packed item vectors, or returns null when the first pass cannot be used: no
    /// <see cref="AvxVnni"/>, or an item vector with a non-finite entry.
    /// </summary>
    public static QuantizedItemMatrix? TryCreate(IFactorizationModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!IsSupported) return null;
        int p = model.Dimension + 2;
        var matrix = new QuantizedItemMatrix(model.Items.Count, p);
        var packed = new float[p];
        var codes = new short[matrix.UserCodeLength];
        for (int i = 0; i < matrix.Items; i++)
        {
            model.GetPackedItemVector(i, packed);
            if (!matrix.QuantizeItem(i, packed, codes)) return null;
        }
        return matrix;
    }

    private bool QuantizeItem(int item, ReadOnlySpan<float> v, Span<short> codes)
    {
        float max = 0f;
        foreach (float x in v)
        {
            if (!float.IsFinite(x)) return false;
            max = Math.Max(max, Math.Abs(x));
        }
        float scale = max / _maxCode;
        float inverse = max > 0f ? _maxCode / max : 0f;
        codes.Clear();
        double error = 0, l1 = 0;
        for (int d = 0; d < v.Length; d++)
        {
            int q = Math.Clamp((int)MathF.Round(v[d] * inverse), -_maxCode, _maxCode);
            codes[d] = (short)q;
            l1 += Math.Abs(q);
            error = Math.Max(error, Math.Abs(v[d] - (double)scale * q));
        }
        int tile = item / TileItems, lane = item % TileItems;
        for (int g = 0; g < Groups; g++)
            for (int b = 0; b < 2; b++)
                _codes[(tile * Groups + g) * GroupCodes + lane * 2 + b] = codes[g * 2 + b];
        _scales[item] = scale;
        // Rounded up so the float coefficients are not below the double quantities they stand for.
        _userL1Coefficient[item] = (float)((error + _slack * (double)max) * (1 + 1e-6));
        _userErrorCoefficient[item] = (float)(scale * l1 * (1 + 1e-6));
        return true;
    }

    /// <summary>
    /// Writes a user's codes (<see cref="UserCodeLength"/> of them) and returns its scale, code error bound
    /// <c>e_u</c> and L1 norm; false when the vector has a non-finite entry (the caller then scores exactly).
    /// </summary>
    public bool QuantizeUser(ReadOnlySpan<float> u, Span<short> codes, out float scale, out float error, out float l1)
    {
        scale = error = l1 = 0f;
        float max = 0f;
        double sumAbs = 0;
        foreach (float x in u)
        {
            if (!float.IsFinite(x)) return false;
            max = Math.Max(max, Math.Abs(x));
            sumAbs += Math.Abs(x);
        }
        scale = max / _maxCode;
        float inverse = max > 0f ? _maxCode / max : 0f;
        codes[..UserCodeLength].Clear();
        double worst = 0;
        for (int d = 0; d < u.Length; d++)
        {
            int r = Math.Clamp((int)MathF.Round(u[d] * inverse), -_maxCode, _maxCode);
            codes[d] = (short)r;
            worst = Math.Max(worst, Math.Abs(u[d] - (double)scale * r));
        }
        error = (float)(worst * (1 + 1e-6));
        l1 = (float)(sumAbs * (1 + 1e-6));
        return float.IsFinite(l1);
    }

    /// <summary>
    /// Writes, for <paramref name="userCount"/> quantized users, rows of <see cref="PaddedItems"/> lower and upper
    /// bounds of every item's exact score (entries past <see cref="Items"/> are meaningless). The definition the
    /// tests check; <see cref="Select"/> is the same pass without the rows.
    /// </summary>
    /// <param name="userCodes">The users' codes back to back (<see cref="UserCodeLength"/> each).</param>
    /// <param name="userTerms">Per user: scale, code error, L1 norm (three floats each).</param>
    /// <param name="userCount">Number of users.</param>
    /// <param name="lower">Receives <c>userCount</c> rows of lower bounds.</param>
    /// <param name="upper">Receives <c>userCount</c> rows of upper bounds.</param>
    public void Bounds(ReadOnlySpan<short> userCodes, ReadOnlySpan<float> userTerms, int userCount, float[] lower, float[] upper)
    {
        if (lower.Length < userCount * PaddedItems || upper.Length < userCount * PaddedItems)
            throw new ArgumentException("Bound rows too short for the user count.");
        var sink = new RowsSink(lower, upper, PaddedItems);
        Run(userCodes, userTerms, userCount, ref sink);
    }

    /// <summary>
    /// The first pass of top-k for <paramref name="userCount"/> quantized users in one sweep over the item codes:
    /// per user, the k largest lower bounds among eligible items (a min-heap whose root is the running threshold
    /// L) and the candidates — eligible items whose upper bound reached the threshold when they were seen. Since L
    /// only rises, every item whose upper bound reaches the final L is among them, in increasing item order.
    /// </summary>
    /// <param name="userCodes">The users' codes back to back.</param>
    /// <param name="userTerms">Per user: scale, code error, L1 norm.</param>
    /// <param name="userCount">Number of users (at most the state's rows).</param>
    /// <param name="state">Exclusion masks in, heaps and candidates out (<see cref="FirstPassSelection.Reset"/> first).</param>
    public void Select(ReadOnlySpan<short> userCodes, ReadOnlySpan<float> userTerms, int userCount, FirstPassSelection state)
    {
        var sink = new SelectionSink(state, Items);
        Run(userCodes, userTerms, userCount, ref sink);
    }

    /// <summary>Writes bound rows (<see cref="Bounds"/>).</summary>
    private readonly struct RowsSink(float[] lower, float[] upper, int stride) : IBoundsSink
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Accept(int row, int firstItem, Vector256<float> lowerBounds, Vector256<float> upperBounds)
        {
            lowerBounds.StoreUnsafe(ref MemoryMarshal.GetArrayDataReference(lower), (nuint)(row * stride + firstItem));
            upperBounds.StoreUnsafe(ref MemoryMarshal.GetArrayDataReference(upper), (nuint)(row * stride + firstItem));
        }
    }

    /// <summary>The sweep shared by <see cref="Bounds"/> and <see cref="Select"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Run<TSink>(ReadOnlySpan<short> userCodes, ReadOnlySpan<float> userTerms, int userCount, ref TSink sink)
        where TSink : struct, IBoundsSink
    {
        if (userCodes.Length < userCount * UserCodeLength || userTerms.Length < 3 * userCount)
            throw new ArgumentException("User buffers too short for the user count.");
        int groups = Groups, codeLength = UserCodeLength;
        int passes = PaddedItems / (TileItems * TilesPerPass);
        // Blocks of item passes whose codes (about 128 KiB) stay in L2 while every user of the batch goes by.
        int passCodes = TilesPerPass * groups * GroupCodes;
        int blockPasses = Math.Max(1, 65536 / passCodes);
        ref short codes0 = ref MemoryMarshal.GetArrayDataReference(_codes);
        ref short users0 = ref MemoryMarshal.GetReference(userCodes);
        Span<int> dots = stackalloc int[4 * TileItems * TilesPerPass];
        for (int firstPass = 0; firstPass < passes; firstPass += blockPasses)
        {
            int endPass = Math.Min(passes, firstPass + blockPasses);
            for (int b = 0; b < userCount; b += 4)
            {
                int m = Math.Min(4, userCount - b);
                for (int pass = firstPass; pass < endPass; pass++)
                {
                    ref short tile = ref Unsafe.Add(ref codes0, pass * passCodes);
                    Dot4(ref Unsafe.Add(ref users0, b * codeLength), m, codeLength, ref tile, groups, dots);
                    int firstItem = pass * TileItems * TilesPerPass;
                    for (int j = 0; j < m; j++)
                    {
                        int user = b + j;
                        Finish(dots.Slice(j * TileItems * TilesPerPass, TileItems * TilesPerPass), firstItem, user,
                            userTerms[3 * user], userTerms[3 * user + 1], userTerms[3 * user + 2], ref sink);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Integer dot products of up to four users' codes (stride <paramref name="codeLength"/>) with the 24 items of
    /// one kernel pass: twelve accumulators, each pair of dimensions one load per tile, one broadcast per user and one
    /// <c>vpdpwssd</c> per (user, tile). Unused users (m &lt; 4) repeat user 0 and are not written.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Dot4(ref short u, int m, int codeLength, ref short tile, int groups, Span<int> dots)
    {
        ref short u1 = ref Unsafe.Add(ref u, m > 1 ? codeLength : 0);
        ref short u2 = ref Unsafe.Add(ref u, m > 2 ? 2 * codeLength : 0);
        ref short u3 = ref Unsafe.Add(ref u, m > 3 ? 3 * codeLength : 0);
        ref short second = ref Unsafe.Add(ref tile, groups * GroupCodes);
        ref short third = ref Unsafe.Add(ref second, groups * GroupCodes);
        Vector256<int> a0 = default, b0 = default, c0 = default, a1 = default, b1 = default, c1 = default;
        Vector256<int> a2 = default, b2 = default, c2 = default, a3 = default, b3 = default, c3 = default;
        for (int g = 0; g < groups; g++)
        {
            var x = Vector256.LoadUnsafe(ref tile, (nuint)(g * GroupCodes));
            var y = Vector256.LoadUnsafe(ref second, (nuint)(g * GroupCodes));
            var z = Vector256.LoadUnsafe(ref third, (nuint)(g * GroupCodes));
            var w = Pair(ref u, g);
            a0 = AvxVnni.MultiplyWideningAndAdd(a0, w, x); b0 = AvxVnni.MultiplyWideningAndAdd(b0, w, y); c0 = AvxVnni.MultiplyWideningAndAdd(c0, w, z);
            w = Pair(ref u1, g);
            a1 = AvxVnni.MultiplyWideningAndAdd(a1, w, x); b1 = AvxVnni.MultiplyWideningAndAdd(b1, w, y); c1 = AvxVnni.MultiplyWideningAndAdd(c1, w, z);
            w = Pair(ref u2, g);
            a2 = AvxVnni.MultiplyWideningAndAdd(a2, w, x); b2 = AvxVnni.MultiplyWideningAndAdd(b2, w, y); c2 = AvxVnni.MultiplyWideningAndAdd(c2, w, z);
            w = Pair(ref u3, g);
            a3 = AvxVnni.MultiplyWideningAndAdd(a3, w, x); b3 = AvxVnni.MultiplyWideningAndAdd(b3, w, y); c3 = AvxVnni.MultiplyWideningAndAdd(c3, w, z);
        }
        ref int d0 = ref MemoryMarshal.GetReference(dots);
        a0.StoreUnsafe(ref d0, 0); b0.StoreUnsafe(ref d0, 8); c0.StoreUnsafe(ref d0, 16);
        a1.StoreUnsafe(ref d0, 24); b1.StoreUnsafe(ref d0, 32); c1.StoreUnsafe(ref d0, 40);
        a2.StoreUnsafe(ref d0, 48); b2.StoreUnsafe(ref d0, 56); c2.StoreUnsafe(ref d0, 64);
        a3.StoreUnsafe(ref d0, 72); b3.StoreUnsafe(ref d0, 80); c3.StoreUnsafe(ref d0, 88);
    }

    /// <summary>The user's codes of dimension pair g broadcast to all eight 32-bit lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<short> Pair(ref short u, int g) =>
        Vector256.Create(Unsafe.ReadUnaligned<int>(ref Unsafe.As<short, byte>(ref Unsafe.Add(ref u, g * 2)))).AsInt16();

    /// <summary>Turns one user's 24 integer dot products into score bounds (see the class remarks).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Finish<TSink>(ReadOnlySpan<int> dots, int firstItem, int row, float userScale, float userError, float userL1, ref TSink sink)
        where TSink : struct, IBoundsSink
    {
        ref float scales = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_scales), firstItem);
        ref float l1Coefficient = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_userL1Coefficient), firstItem);
        ref float errorCoefficient = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_userErrorCoefficient), firstItem);
        ref int dot0 = ref MemoryMarshal.GetReference(dots);
        var su = Vector256.Create(userScale);
        var eu = Vector256.Create(userError);
        var l1 = Vector256.Create(userL1);
        for (int h = 0; h < TileItems * TilesPerPass; h += TileItems)
        {
            var products = Vector256.LoadUnsafe(ref dot0, (nuint)h);
            var approx = Vector256.ConvertToSingle(products) * (Vector256.LoadUnsafe(ref scales, (nuint)h) * su);
            var bound = Vector256.LoadUnsafe(ref l1Coefficient, (nuint)h) * l1 + Vector256.LoadUnsafe(ref errorCoefficient, (nuint)h) * eu;
            sink.Accept(row, firstItem + h, approx - bound, approx + bound);
        }
    }
}
