using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace DeskdropML.Recommending;

/// <summary>
/// Partial selection of the k best-scored items without sorting the whole catalogue.
/// </summary>
/// <remarks>
/// Order: descending score; equal scores are ordered by ascending item index (the tie rule used by the
/// evaluator and by every recommender). NaN scores rank below every other score. A binary min-heap of size k holds
/// the best items so far and nothing is allocated. Once k items are held, an item can only enter when its score is strictly greater than the worst kept score
/// (an equal score loses the tie because items are scanned in increasing index order). That test is done eight
/// scores at a time with a vector comparison, so most of the catalogue is rejected without touching the heap or the
/// exclusion mask. NaN never compares greater, so it is rejected too, as <see cref="TopK.Select"/> would.
/// </remarks>
public static class TopK
{
    /// <summary>
    /// Selects the top <paramref name="k"/> indices of <paramref name="scores"/>, skipping indices for which
    /// <paramref name="excluded"/> (if given, length = scores.Length) is true.
    /// </summary>
    /// <param name="scores">One score per item.</param>
    /// <param name="k">How many to select; fewer are returned when fewer items are eligible.</param>
    /// <param name="indices">Receives the selected indices, best first; length at least k.</param>
    /// <param name="topScores">Receives their scores (NaN reported as negative infinity); length at least k.</param>
    /// <param name="excluded">Optional mask of items that must not be returned.</param>
    /// <returns>The number of items written.</returns>
    public static int Select(ReadOnlySpan<float> scores, int k, Span<int> indices, Span<float> topScores, ReadOnlySpan<bool> excluded = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        if (indices.Length < k || topScores.Length < k)
            throw new ArgumentException("Output spans must hold at least k entries.");
        if (!excluded.IsEmpty && excluded.Length != scores.Length)
            throw new ArgumentException("The exclusion mask must have one entry per item.", nameof(excluded));
        if (k == 0) return 0;
        bool hasMask = !excluded.IsEmpty;
        int n = scores.Length, size = 0, i = 0;

        // Fill phase: the first k eligible items enter unconditionally.
        for (; i < n && size < k; i++)
        {
            if (hasMask && excluded[i]) continue;
            float s = scores[i];
            if (float.IsNaN(s)) s = float.NegativeInfinity;
            indices[size] = i;
            topScores[size] = s;
            SiftUp(indices, topScores, size);
            size++;
        }

        if (size == k)
        {
            float worst = topScores[0];
            ref float start = ref MemoryMarshal.GetReference(scores);
            if (Vector256.IsHardwareAccelerated)
            {
                for (; i + 8 <= n; i += 8)
                {
                    var v = Vector256.LoadUnsafe(ref start, (nuint)i);
                    uint mask = Vector256.GreaterThan(v, Vector256.Create(worst)).ExtractMostSignificantBits();
                    while (mask != 0)
                    {
                        int j = i + System.Numerics.BitOperations.TrailingZeroCount(mask);
                        mask &= mask - 1;
                        float s = Unsafe.Add(ref start, j);
                        if (s <= worst || (hasMask && excluded[j])) continue; // worst may have risen within this chunk
                        indices[0] = j;
                        topScores[0] = s;
                        SiftDown(indices, topScores, 0, size);
                        worst = topScores[0];
                    }
                }
            }
            for (; i < n; i++)
            {
                float s = scores[i];
                if (!(s > worst) || (hasMask && excluded[i])) continue;
                indices[0] = i;
                topScores[0] = s;
                SiftDown(indices, topScores, 0, size);
                worst = topScores[0];
            }
        }

        for (int end = size - 1; end > 0; end--)
        {
            (indices[0], indices[end]) = (indices[end], indices[0]);
            (topScores[0], topScores[end]) = (topScores[end], topScores[0]);
            SiftDown(indices, topScores, 0, end);
        }
        return size;
    }

    /// <summary>True when (sa, ia) ranks strictly before (sb, ib).</summary>
    private static bool Better(float sa, int ia, float sb, int ib) => sa > sb || (sa == sb && ia < ib);

    private static void SiftUp(Span<int> idx, Span<float> sc, int i)
    {
        while (i > 0)
        {
            int parent = (i - 1) >> 1;
            if (!Better(sc[parent], idx[parent], sc[i], idx[i])) break;
            (idx[parent], idx[i]) = (idx[i], idx[parent]);
            (sc[parent], sc[i]) = (sc[i], sc[parent]);
            i = parent;
        }
    }

    private static void SiftDown(Span<int> idx, Span<float> sc, int i, int size)
    {
        while (true)
        {
            int left = 2 * i + 1;
            if (left >= size) break;
            int worst = left;
            int right = left + 1;
            if (right < size && Better(sc[worst], idx[worst], sc[right], idx[right])) worst = right;
            if (!Better(sc[i], idx[i], sc[worst], idx[worst])) break;
            (idx[worst], idx[i]) = (idx[i], idx[worst]);
            (sc[worst], sc[i]) = (sc[i], sc[worst]);
            i = worst;
        }
    }
}
