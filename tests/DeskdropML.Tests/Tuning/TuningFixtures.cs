using DeskdropML.Data;
using DeskdropML.Recommending;
using DeskdropML.Sparse;

namespace DeskdropML.Tests.Tuning;

internal static class TuningFixtures
{
    /// <summary>200 users x 80 items, 15 distinct items per user with random timestamps; the last 20% of the time span is test.</summary>
    public static InteractionDataset SyntheticDataset(int seed = 1)
    {
        var random = new Random(seed);
        var users = new List<string>(); var items = new List<string>(); var times = new List<long>(); var strengths = new List<float>();
        for (int u = 0; u < 200; u++)
        {
            var chosen = new HashSet<int>();
            while (chosen.Count < 15) chosen.Add(random.Next(80));
            foreach (int i in chosen)
            {
                users.Add($"u{u:D3}");
                items.Add($"i{i:D3}");
                times.Add(random.Next(1_000_000));
                strengths.Add(1f);
            }
        }
        var log = new InteractionLog(users.ToArray(), items.ToArray(), times.ToArray(), strengths.ToArray(),
            new LoadReport("synthetic", users.Count, users.Count, new Dictionary<string, long>()));
        return InteractionDataset.Build(log, new DatasetOptions { TestFraction = 0.2 });
    }

    /// <summary>
    /// A fake model for synthetic objectives: relevant items (the stored entries of <c>truth</c>) get 1, every item gets
    /// uniform noise in [-noise, noise] from a hash of (seed, user, item). Less noise ranks better.
    /// </summary>
    public sealed class NoisyOracleModel : IRecommenderModel
    {
        private readonly CsrMatrix _truth;
        private readonly double _noise;
        private readonly int _seed;

        public NoisyOracleModel(IdMap users, IdMap items, CsrMatrix truth, double noise, int seed)
        {
            Users = users; Items = items; _truth = truth; _noise = noise; _seed = seed;
        }

        public IdMap Users { get; }
        public IdMap Items { get; }

        public void ScoreItems(int userIndex, Span<float> scores)
        {
            for (int i = 0; i < scores.Length; i++)
            {
                double rel = _truth.Contains(userIndex, i) ? 1 : 0;
                scores[i] = (float)(rel + _noise * (2 * Uniform(_seed, userIndex, i) - 1));
            }
        }

        private static double Uniform(int seed, int u, int i)
        {
            ulong x = (ulong)(uint)seed * 0x9E3779B97F4A7C15UL ^ (ulong)(uint)u * 0xBF58476D1CE4E5B9UL ^ (ulong)(uint)i * 0x94D049BB133111EBUL;
            x ^= x >> 30; x *= 0xBF58476D1CE4E5B9UL; x ^= x >> 27; x *= 0x94D049BB133111EBUL; x ^= x >> 31;
            return (x >> 11) * (1.0 / (1UL << 53));
        }
    }
}
