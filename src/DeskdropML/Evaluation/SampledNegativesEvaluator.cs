using DeskdropML.Evaluation.Protocols;

namespace DeskdropML.Evaluation;

/// <summary>
/// Sampled-negatives evaluation, beside full ranking, for comparability with the "Recommender Systems in Python 101"
/// notebook: each test pair's item is ranked among N items the user never interacted with, and HitRate@k is the share
/// of test pairs whose item ranks in the top k (that notebook calls it recall@k).
/// </summary>
/// <remarks>
/// <para><b>Negatives.</b> For test pair (u, i): N distinct items drawn uniformly (seeded by (seed, u, i)) from the fold's
/// candidates that u has neither a train nor a test interaction with; all of them when fewer remain.</para>
/// <para><b>Rank.</b> rank(i) = #negatives scoring higher + #negatives scoring equal with a lower item index (the tie
/// rule of full ranking); a hit at k when rank(i) &lt; k.</para>
/// <para><b>Caveat.</b> Sampled metrics can order models differently from full ranking (Krichene &amp; Rendle, KDD 2020);
/// full ranking is the default and the primary result.</para>
/// <para><b>Units.</b> Users: a user's test pairs are correlated, so the intervals come from a cluster bootstrap over users of
/// Σ hits / Σ test pairs.</para>
/// <para><b>Memory model</b> (I items, C candidates, U evaluated users, N negatives): one user at a time on the calling
/// thread; scratch sized once, a score row and an own-items mask <c>5I</c> bytes, the candidate list <c>4C</c> and the
/// drawn set <c>≈ 12N</c>; the per-user results <c>U × 28</c> bytes (user, pairs, hits@5, hits@10). Nothing is users
/// × items.</para>
/// </remarks>
public static class SampledNegativesEvaluator
{
    /// <summary>Evaluates one fold.</summary>
    /// <param name="fold">The fold (its relevant pairs are the test pairs).</param>
    /// <param name="scorer">Scores every item for a user.</param>
    /// <param name="negatives">N ≥ 1 (default 100 in the CLI).</param>
    /// <param name="seed">Seed of the draws.</param>
    public static SampledNegativesResult Evaluate(EvaluationFold fold, UserScorer scorer, int negatives, int seed)
    {
        ArgumentNullException.ThrowIfNull(fold);
        ArgumentNullException.ThrowIfNull(scorer);
        if (negatives < 1) throw new ArgumentOutOfRangeException(nameof(negatives), negatives, "The number of sampled negatives must be at least 1.");
        var train = fold.Dataset.Train;
        var test = fold.Dataset.Test;
        var candidates = new List<int>();
        for (int i = 0; i < fold.Candidates.Length; i++) if (fold.Candidates[i]) candidates.Add(i);
        var scores = new float[test.Columns];
        var own = new bool[test.Columns];
        var drawn = new HashSet<int>();
        var users = new List<int>(); var pairs = new List<double>(); var hits5 = new List<double>(); var hits10 = new List<double>();
        double random5 = 0, random10 = 0;
        for (int u = 0; u < test.Rows; u++)
        {
            var relevant = test.RowIndices(u);
            if (relevant.Length == 0) continue;
            Array.Clear(scores);
            scorer(u, scores);
            var trainItems = train.RowIndices(u);
            foreach (int i in trainItems) own[i] = true;
            foreach (int i in relevant) own[i] = true;
            int eligible = 0;
            foreach (int c in candidates) if (!own[c]) eligible++;
            double h5 = 0, h10 = 0;
            foreach (int item in relevant)
            {
                var random = new Random(unchecked(seed * 1_000_003 + u * 7919 + item * 104_729));
                drawn.Clear();
                int take = Math.Min(negatives, eligible);
                int rank = 0;
                float s = scores[item];
                if (take == eligible)
                {
                    foreach (int c in candidates) if (!own[c]) rank += Beats(scores[c], c, s, item);
                }
                else
                {
                    while (drawn.Count < take)
                    {
                        int c = candidates[random.Next(candidates.Count)];
                        if (own[c] || !drawn.Add(c)) continue;
                        rank += Beats(scores[c], c, s, item);
                    }
                }
                if (rank < 5) h5++;
                if (rank < 10) h10++;
                // A random order puts the positive at each of the take + 1 positions with equal probability.
                random5 += Math.Min(5, take + 1) / (double)(take + 1);
                random10 += Math.Min(10, take + 1) / (double)(take + 1);
            }
            foreach (int i in trainItems) own[i] = false;
            foreach (int i in relevant) own[i] = false;
            users.Add(u); pairs.Add(relevant.Length); hits5.Add(h5); hits10.Add(h10);
        }
        return new SampledNegativesResult(negatives, users.ToArray(), pairs.ToArray(), hits5.ToArray(), hits10.ToArray())
        {
            RandomHitsAt5 = random5,
            RandomHitsAt10 = random10,
        };
    }

    /// <summary>1 when the negative ranks above the positive: higher score, or equal score and lower index (NaN ranks last).</summary>
    private static int Beats(float negative, int negativeIndex, float positive, int positiveIndex)
    {
        if (float.IsNaN(negative)) return 0;
        if (float.IsNaN(positive)) return 1;
        return negative > positive || (negative == positive && negativeIndex < positiveIndex) ? 1 : 0;
    }
}

/// <summary>Per-user hits of a sampled-negatives evaluation (one or several folds pooled).</summary>
/// <param name="Negatives">N.</param>
/// <param name="Users">User index of each unit.</param>
/// <param name="TestPairs">Test pairs of each unit.</param>
/// <param name="HitsAt5">Test pairs of each unit ranked in the top 5.</param>
/// <param name="HitsAt10">Test pairs of each unit ranked in the top 10.</param>
public sealed record SampledNegativesResult(int Negatives, int[] Users, double[] TestPairs, double[] HitsAt5, double[] HitsAt10)
{
    /// <summary>Expected hits@5 of a uniformly random order over all test pairs: Σ min(5, m + 1)/(m + 1), m = negatives drawn for the pair.</summary>
    public double RandomHitsAt5 { get; init; }

    /// <summary>Expected hits@10 of a uniformly random order, as <see cref="RandomHitsAt5"/>.</summary>
    public double RandomHitsAt10 { get; init; }

    /// <summary>The exact random expectation of HitRate@5 (about 5 / (N + 1)).</summary>
    public double RandomHitRateAt5 => Total == 0 ? 0 : RandomHitsAt5 / Total;

    /// <summary>The exact random expectation of HitRate@10.</summary>
    public double RandomHitRateAt10 => Total == 0 ? 0 : RandomHitsAt10 / Total;

    private double Total => TestPairs.Sum();

    /// <summary>HitRate@5 = Σ hits@5 / Σ test pairs.</summary>
    public double HitRateAt5 => Ratio(HitsAt5);

    /// <summary>HitRate@10 = Σ hits@10 / Σ test pairs.</summary>
    public double HitRateAt10 => Ratio(HitsAt10);

    /// <summary>95% cluster-bootstrap intervals (users as units) of HitRate@5 and HitRate@10.</summary>
    public ((double Low, double High) At5, (double Low, double High) At10) Intervals(int resamples = Bootstrap.DefaultResamples, int seed = 0)
    {
        var ci = Bootstrap.RatioIntervals(new[] { HitsAt5, HitsAt10 }, TestPairs, resamples, seed);
        return (ci[0], ci[1]);
    }

    /// <summary>Pools the units of several folds.</summary>
    public static SampledNegativesResult Pool(IReadOnlyList<SampledNegativesResult> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 1) return parts[0];
        return new SampledNegativesResult(parts.Count == 0 ? 0 : parts[0].Negatives,
            parts.SelectMany(p => p.Users).ToArray(), parts.SelectMany(p => p.TestPairs).ToArray(),
            parts.SelectMany(p => p.HitsAt5).ToArray(), parts.SelectMany(p => p.HitsAt10).ToArray())
        {
            RandomHitsAt5 = parts.Sum(p => p.RandomHitsAt5),
            RandomHitsAt10 = parts.Sum(p => p.RandomHitsAt10),
        };
    }

    private double Ratio(double[] hits)
    {
        double h = 0, n = 0;
        for (int j = 0; j < hits.Length; j++) { h += hits[j]; n += TestPairs[j]; }
        return n == 0 ? 0 : h / n;
    }
}
