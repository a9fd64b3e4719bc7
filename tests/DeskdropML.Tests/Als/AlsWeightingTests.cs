using DeskdropML.Sparse;
using DeskdropML.Trainers.Als;

namespace DeskdropML.Tests.Als;

public class AlsWeightingTests
{
    // 3 users x 4 items; item 3 has no entry.
    private static CsrMatrix Small() => CsrMatrix.FromTriplets(3, 4,
        new[] { 0, 0, 1, 1, 1, 2 },
        new[] { 0, 1, 0, 1, 2, 2 },
        new[] { 1f, 2f, 4f, 1f, 3f, 5f });

    [Fact]
    public void Bm25MatchesTheFormulaByHand()
    {
        var m = Small();
        var weighted = AlsMatrixWeighting.Learn(m, AlsWeighting.Bm25, k1: 100f, b: 0.8f).Apply(m);
        // Item sums s = [5, 3, 8, 0], mean 4; L_i = 0.2 + 0.8 s_i / 4. idf_u = ln 4 - ln(1 + df_u), df = [2, 3, 1].
        double[] l = { 0.2 + 0.8 * 5 / 4, 0.2 + 0.8 * 3 / 4, 0.2 + 0.8 * 8 / 4, 0.2 };
        double[] idf = { Math.Log(4) - Math.Log(3), Math.Log(4) - Math.Log(4), Math.Log(4) - Math.Log(2) };
        double W(int u, int i, double r) => Math.Max(0, r * 101 / (100 * l[i] + r) * idf[u]);
        double[] expected = { W(0, 0, 1), W(0, 1, 2), W(1, 0, 4), W(1, 1, 1), W(1, 2, 3), W(2, 2, 5) };
        for (int p = 0; p < expected.Length; p++) Assert.Equal(expected[p], weighted.Values[p], 1e-6);
        Assert.Equal(m.ColumnIndices.ToArray(), weighted.ColumnIndices.ToArray());
        Assert.Equal(0f, weighted.Values[2]); // user 1 has 3 of 4 items: idf 0
    }

    [Fact]
    public void TfIdfMatchesTheFormulaByHand()
    {
        var m = Small();
        var weighted = AlsMatrixWeighting.Learn(m, AlsWeighting.TfIdf, 100f, 0.8f).Apply(m);
        double idf0 = Math.Log(4) - Math.Log(3), idf2 = Math.Log(4) - Math.Log(2);
        Assert.Equal(Math.Sqrt(2) * idf0, weighted.Values[1], 1e-6);
        Assert.Equal(Math.Sqrt(5) * idf2, weighted.Values[5], 1e-6);
        Assert.Equal(0f, weighted.Values[3]);
    }

    [Fact]
    public void NoWeightingKeepsTheMatrix()
    {
        var m = Small();
        Assert.Same(m, AlsMatrixWeighting.Learn(m, AlsWeighting.None, 100f, 0.8f).Apply(m));
    }
}
