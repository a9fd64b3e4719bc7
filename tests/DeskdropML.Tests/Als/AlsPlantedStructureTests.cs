using DeskdropML.Recommending;
using DeskdropML.Sparse;
using DeskdropML.Trainers.Als;

namespace DeskdropML.Tests.Als;

public class AlsPlantedStructureTests
{
    private const int Clusters = 5, ItemsPerCluster = 15, UsersPerCluster = 60, ItemsPerUser = 8, HeldOut = 2, TopN = 5;

    [Theory]
    [InlineData(AlsSolver.ConjugateGradient, AlsConfidence.OnePlusAlphaR)]
    [InlineData(AlsSolver.Cholesky, AlsConfidence.AlphaR)]
    public void RecoversPlantedClustersFarAbovePopularity(AlsSolver solver, AlsConfidence confidence)
    {
        // Every user draws ItemsPerUser distinct items of its own cluster (plus one random item anywhere); HeldOut of the
        // cluster items are the test set. Only the cluster structure predicts the held-out items.
        var random = new Random(2024);
        int users = Clusters * UsersPerCluster, items = Clusters * ItemsPerCluster;
        var rows = new List<int>();
        var cols = new List<int>();
        var vals = new List<float>();
        var test = new List<int>[users];
        for (int u = 0; u < users; u++)
        {
            int cluster = u / UsersPerCluster;
            var picked = Enumerable.Range(cluster * ItemsPerCluster, ItemsPerCluster).OrderBy(_ => random.Next()).Take(ItemsPerUser).ToList();
            test[u] = picked.Take(HeldOut).ToList();
            var train = picked.Skip(HeldOut).ToList();
            int noise = random.Next(items);
            if (!picked.Contains(noise)) train.Add(noise);
            foreach (int i in train) { rows.Add(u); cols.Add(i); vals.Add(1 + random.Next(3)); }
        }
        var m = CsrMatrix.FromTriplets(users, items, rows.ToArray(), cols.ToArray(), vals.ToArray());

        var model = new AlsTrainer(new AlsTrainer.Options
        {
            NumberOfFactors = 10, Regularization = 0.1f, Solver = solver, Confidence = confidence, Alpha = 2f, NumberOfIterations = 15,
        }).Fit(m, AlsReference.Ids("u", users), AlsReference.Ids("i", items));

        // Popularity by hand: distinct training users per item.
        var popularity = new float[items];
        foreach (int c in cols) popularity[c] += 1;

        var scores = new float[items];
        double alsPrecision = 0, popPrecision = 0;
        for (int u = 0; u < users; u++)
        {
            var excluded = new bool[items];
            foreach (int i in m.RowIndices(u)) excluded[i] = true;
            model.ScoreItems(u, scores);
            alsPrecision += PrecisionAt(scores, excluded, test[u]);
            popPrecision += PrecisionAt(popularity, excluded, test[u]);
        }
        alsPrecision /= users;
        popPrecision /= users;
        // Guessing uniformly among the 7 unseen items of the right cluster gives 2/7 = 0.29; popularity about 0.03.
        Assert.True(alsPrecision > 0.2, $"ALS precision@{TopN} {alsPrecision:F3}");
        Assert.True(alsPrecision > 4 * popPrecision, $"ALS {alsPrecision:F3} vs popularity {popPrecision:F3}");
    }

    private static double PrecisionAt(float[] scores, bool[] excluded, List<int> relevant)
    {
        Span<int> top = stackalloc int[TopN];
        Span<float> topScores = stackalloc float[TopN];
        int n = TopK.Select(scores, TopN, top, topScores, excluded);
        int hits = 0;
        for (int j = 0; j < n; j++) if (relevant.Contains(top[j])) hits++;
        return hits / (double)TopN;
    }
}
