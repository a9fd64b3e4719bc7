using DeskdropML.Recommending;
using DeskdropML.Sparse;

namespace DeskdropML.Tests.Warp;

/// <summary>Seeded synthetic data with planted cluster structure, and small ranking helpers for the WARP tests.</summary>
internal sealed class PlantedData
{
    public required CsrMatrix Train { get; init; }
    public required CsrMatrix Test { get; init; }
    public required IdMap Users { get; init; }
    public required IdMap Items { get; init; }
    public required int[] UserCluster { get; init; }
    public required int[] ItemCluster { get; init; }

    /// <summary>
    /// Users and items each belong to one of <paramref name="clusters"/> clusters. Every user picks
    /// <paramref name="itemsPerUser"/> distinct items, 90% from its own cluster; item popularity inside a cluster is
    /// skewed, and the clusters have similar sizes so global popularity carries little user-specific signal.
    /// <paramref name="heldOut"/> items per user go to the test matrix.
    /// </summary>
    public static PlantedData Generate(int users = 300, int items = 150, int clusters = 3, int itemsPerUser = 12, int heldOut = 3, int seed = 7)
    {
        var rng = new Random(seed);
        var userCluster = new int[users];
        var itemCluster = new int[items];
        for (int u = 0; u < users; u++) userCluster[u] = u % clusters;
        for (int i = 0; i < items; i++) itemCluster[i] = i % clusters;
        var byCluster = new List<int>[clusters];
        for (int c = 0; c < clusters; c++) byCluster[c] = new List<int>();
        for (int i = 0; i < items; i++) byCluster[itemCluster[i]].Add(i);

        var trainRows = new List<int>(); var trainCols = new List<int>();
        var testRows = new List<int>(); var testCols = new List<int>();
        for (int u = 0; u < users; u++)
        {
            var chosen = new List<int>();
            var seen = new HashSet<int>();
            while (chosen.Count < itemsPerUser)
            {
                int c = rng.NextDouble() < 0.9 ? userCluster[u] : rng.Next(clusters);
                var pool = byCluster[c];
                // Skewed within the cluster: lower positions are more popular.
                double r = rng.NextDouble();
                int item = pool[(int)(r * r * pool.Count)];
                if (seen.Add(item)) chosen.Add(item);
            }
            for (int k = 0; k < chosen.Count; k++)
            {
                if (k < heldOut) { testRows.Add(u); testCols.Add(chosen[k]); }
                else { trainRows.Add(u); trainCols.Add(chosen[k]); }
            }
        }
        float[] Ones(int n) { var a = new float[n]; Array.Fill(a, 1f); return a; }
        return new PlantedData
        {
            Train = CsrMatrix.FromTriplets(users, items, trainRows.ToArray(), trainCols.ToArray(), Ones(trainRows.Count)),
            Test = CsrMatrix.FromTriplets(users, items, testRows.ToArray(), testCols.ToArray(), Ones(testRows.Count)),
            Users = new IdMap(Enumerable.Range(0, users).Select(u => $"u{u:D5}")),
            Items = new IdMap(Enumerable.Range(0, items).Select(i => $"i{i:D5}")),
            UserCluster = userCluster,
            ItemCluster = itemCluster,
        };
    }
}

internal static class RankingHelpers
{
    /// <summary>Mean precision@k over users with a test item, ranking all items except the user's train items.</summary>
    public static double PrecisionAtK(Func<int, float[]> scoreUser, CsrMatrix train, CsrMatrix test, int k)
    {
        double sum = 0;
        int evaluated = 0;
        var idx = new int[k];
        var top = new float[k];
        var excluded = new bool[train.Columns];
        for (int u = 0; u < test.Rows; u++)
        {
            if (test.RowLength(u) == 0) continue;
            var scores = scoreUser(u);
            Array.Clear(excluded);
            foreach (int i in train.RowIndices(u)) excluded[i] = true;
            int n = TopK.Select(scores, k, idx, top, excluded);
            int hits = 0;
            for (int r = 0; r < n; r++) if (test.Contains(u, idx[r])) hits++;
            sum += hits / (double)k;
            evaluated++;
        }
        return sum / evaluated;
    }

    /// <summary>
    /// Mean per-user AUC on training pairs: the fraction of (positive, non-positive) item pairs of the user that are
    /// ordered correctly (ties count half).
    /// </summary>
    public static double TrainAuc(Func<int, float[]> scoreUser, CsrMatrix train)
    {
        double sum = 0;
        int users = 0;
        for (int u = 0; u < train.Rows; u++)
        {
            var pos = train.RowIndices(u);
            if (pos.Length == 0 || pos.Length == train.Columns) continue;
            var scores = scoreUser(u);
            double correct = 0;
            long pairs = 0;
            foreach (int i in pos)
            {
                for (int j = 0; j < scores.Length; j++)
                {
                    if (train.Contains(u, j)) continue;
                    pairs++;
                    if (scores[i] > scores[j]) correct += 1;
                    else if (scores[i] == scores[j]) correct += 0.5;
                }
            }
            sum += correct / pairs;
            users++;
        }
        return sum / users;
    }

    public static Func<int, float[]> Scorer(IRecommenderModel model) => u =>
    {
        var s = new float[model.Items.Count];
        model.ScoreItems(u, s);
        return s;
    };
}
