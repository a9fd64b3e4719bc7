namespace DeskdropML.Data.Synthetic;

/// <summary>
/// Walker's alias method: draws index i with probability w_i / Σw in O(1) (one uniform index, one uniform threshold).
/// Built in O(n) with Vose's stable two-list construction; 12 bytes per entry.
/// </summary>
internal sealed class AliasTable
{
    private readonly double[] _threshold;
    private readonly int[] _alias;
    private readonly int[] _values;

    /// <summary>A table over <paramref name="values"/> with weights <paramref name="weights"/> (positive, same length).</summary>
    public AliasTable(int[] values, double[] weights)
    {
        int n = values.Length;
        if (n == 0 || weights.Length != n) throw new ArgumentException("An alias table needs as many positive weights as values, at least one.");
        _values = values;
        _threshold = new double[n];
        _alias = new int[n];
        double total = 0;
        foreach (double w in weights) total += w;
        var scaled = new double[n];
        var small = new Stack<int>();
        var large = new Stack<int>();
        for (int i = n - 1; i >= 0; i--)
        {
            scaled[i] = weights[i] * n / total;
            (scaled[i] < 1 ? small : large).Push(i);
        }
        while (small.Count > 0 && large.Count > 0)
        {
            int s = small.Pop(), l = large.Pop();
            _threshold[s] = scaled[s];
            _alias[s] = l;
            scaled[l] = scaled[l] + scaled[s] - 1;
            (scaled[l] < 1 ? small : large).Push(l);
        }
        while (large.Count > 0) { int l = large.Pop(); _threshold[l] = 1; _alias[l] = l; }
        while (small.Count > 0) { int s = small.Pop(); _threshold[s] = 1; _alias[s] = s; }
    }

    /// <summary>Draws a value.</summary>
    public int Sample(ref SyntheticRandom random)
    {
        int i = random.Next(_threshold.Length);
        return _values[random.NextDouble() < _threshold[i] ? i : _alias[i]];
    }
}
