using DeskdropML.Evaluation;
using DeskdropML.Sparse;

namespace DeskdropML.Tests.Evaluation;

/// <summary>Builders for small interaction matrices and score tables.</summary>
internal static class EvaluationFixtures
{
    /// <summary>A users x items matrix whose row u stores the given items with weight 1.</summary>
    public static CsrMatrix Matrix(int items, params int[][] rows)
    {
        var r = new List<int>();
        var c = new List<int>();
        for (int u = 0; u < rows.Length; u++)
        {
            foreach (int i in rows[u])
            {
                r.Add(u);
                c.Add(i);
            }
        }
        return CsrMatrix.FromTriplets(rows.Length, items, r.ToArray(), c.ToArray(), Enumerable.Repeat(1f, r.Count).ToArray());
    }

    /// <summary>A scorer reading a dense users x items score table.</summary>
    public static UserScorer FromTable(float[][] table) => (user, scores) => table[user].CopyTo(scores);

    /// <summary>Random train/test rows (overlaps allowed, some users without test or train) and tied scores.</summary>
    public static (int[][] Train, int[][] Test, float[][] Scores) Random(int seed, int users, int items)
    {
        var random = new Random(seed);
        var train = new int[users][];
        var test = new int[users][];
        var scores = new float[users][];
        for (int u = 0; u < users; u++)
        {
            double trainRate = random.NextDouble() < 0.15 ? 0 : 0.15;  // some cold users
            double testRate = random.NextDouble() < 0.2 ? 0 : 0.1;     // some users not evaluated
            train[u] = Enumerable.Range(0, items).Where(_ => random.NextDouble() < trainRate).ToArray();
            test[u] = Enumerable.Range(0, items).Where(_ => random.NextDouble() < testRate).ToArray();
            // Few score levels, so ties (broken by item index) are common.
            scores[u] = Enumerable.Range(0, items).Select(_ => (float)random.Next(8)).ToArray();
        }
        return (train, test, scores);
    }
}
