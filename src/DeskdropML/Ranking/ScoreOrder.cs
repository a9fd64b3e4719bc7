namespace DeskdropML.Ranking;

/// <summary>
/// Orders items by a score, highest first, ties by ascending item index — with one primitive sort of packed 64-bit
/// keys instead of a comparison delegate that looks scores up (which dominated stage 1 on large logs).
/// </summary>
internal static class ScoreOrder
{
    /// <summary>The items of <paramref name="scores"/> by <paramref name="score"/> descending, then item index ascending.</summary>
    public static int[] Descending<T>(IReadOnlyDictionary<int, T> scores, Func<T, float> score)
    {
        var keys = new ulong[scores.Count];
        int n = 0;
        foreach (var (item, value) in scores) keys[n++] = Key(score(value), item);
        Array.Sort(keys);
        var order = new int[n];
        for (int k = 0; k < n; k++) order[k] = (int)(uint)keys[k];
        return order;
    }

    /// <summary>
    /// Sorts ascending by descending score then ascending item: the float's bits are mapped to an unsigned order
    /// (negative values flipped, positive ones offset by the sign bit), then complemented so larger scores come first.
    /// Item indices are non-negative, so their low 32 bits order them.
    /// </summary>
    internal static ulong Key(float score, int item)
    {
        if (float.IsNaN(score)) throw new ArgumentException("A score is NaN.", nameof(score));
        if (score == 0) score = 0; // -0 and +0 tie, as with float comparison
        uint bits = BitConverter.SingleToUInt32Bits(score);
        uint ordered = (bits & 0x8000_0000u) != 0 ? ~bits : bits | 0x8000_0000u;
        return ((ulong)~ordered << 32) | (uint)item;
    }

    /// <summary>Rank (0-based position in <paramref name="order"/>) of each of the ascending <paramref name="items"/>; <c>order.Length</c> when absent.</summary>
    public static int[] RanksOf(int[] order, ReadOnlySpan<int> items)
    {
        var ranks = new int[items.Length];
        Array.Fill(ranks, order.Length);
        for (int r = 0; r < order.Length; r++)
        {
            int at = items.BinarySearch(order[r]);
            if (at >= 0) ranks[at] = r;
        }
        return ranks;
    }
}
