namespace DeskdropML.Evaluation;

/// <summary>
/// Seeded percentile bootstrap over evaluation units: confidence intervals of means (and of paired differences,
/// by bootstrapping the per-unit difference).
/// </summary>
/// <remarks>
/// <para>Each of B resamples draws n unit indices uniformly with replacement from a SplitMix64 stream seeded by
/// <c>seed</c>, so the draws depend only on (seed, n, B): two metrics, or two models evaluated on the same units, are
/// resampled identically. The statistic of a resample is the mean of the drawn values (for
/// <see cref="RatioIntervals"/>, Σ numerators / Σ denominators of the drawn units).</para>
/// <para>The interval at level 1 − α is the (α/2, 1 − α/2) quantile pair of the B statistics, each quantile
/// interpolated linearly at position q·(B − 1) of the sorted statistics. With n = 0 the interval is (0, 0).</para>
/// </remarks>
public static class Bootstrap
{
    /// <summary>Default number of resamples.</summary>
    public const int DefaultResamples = 1000;

    /// <summary>A percentile interval for the mean of each column (all columns share the same resamples).</summary>
    /// <param name="columns">One array of per-unit values per statistic; all of the same length n.</param>
    /// <param name="resamples">B ≥ 1.</param>
    /// <param name="seed">Seed of the draws.</param>
    /// <param name="level">Confidence level in (0, 1); default 0.95.</param>
    public static (double Low, double High)[] MeanIntervals(IReadOnlyList<double[]> columns, int resamples = DefaultResamples, int seed = 0, double level = 0.95)
    {
        ArgumentNullException.ThrowIfNull(columns);
        return RatioIntervals(columns, null, resamples, seed, level);
    }

    /// <summary>A percentile interval for the mean of one column.</summary>
    public static (double Low, double High) MeanInterval(double[] values, int resamples = DefaultResamples, int seed = 0, double level = 0.95) =>
        MeanIntervals(new[] { values }, resamples, seed, level)[0];

    /// <summary>
    /// Intervals of Σ numerator / Σ denominator per column over resampled units (a cluster bootstrap of a pooled ratio,
    /// e.g. hits over test pairs with users as units); <paramref name="denominators"/> null means every unit weighs 1 (a mean).
    /// </summary>
    public static (double Low, double High)[] RatioIntervals(IReadOnlyList<double[]> numerators, double[]? denominators,
        int resamples = DefaultResamples, int seed = 0, double level = 0.95)
    {
        ArgumentNullException.ThrowIfNull(numerators);
        if (resamples < 1) throw new ArgumentOutOfRangeException(nameof(resamples), resamples, "The number of resamples must be at least 1.");
        if (!(level > 0 && level < 1)) throw new ArgumentOutOfRangeException(nameof(level), level, "The confidence level must be in (0, 1).");
        int n = numerators.Count == 0 ? 0 : numerators[0].Length;
        foreach (var c in numerators)
            if (c.Length != n) throw new ArgumentException("Every column must have one value per unit.", nameof(numerators));
        if (denominators is not null && denominators.Length != n)
            throw new ArgumentException("The denominators must have one value per unit.", nameof(denominators));
        var result = new (double, double)[numerators.Count];
        if (n == 0) return result;

        var stats = new double[numerators.Count][];
        for (int c = 0; c < stats.Length; c++) stats[c] = new double[resamples];
        var sums = new double[numerators.Count];
        var draws = new int[n];
        ulong state = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + 0xD1B54A32D192ED03UL);
        for (int b = 0; b < resamples; b++)
        {
            for (int j = 0; j < n; j++) draws[j] = (int)(((NextRandom(ref state) >> 32) * (ulong)n) >> 32);
            double weight = 0;
            if (denominators is null) weight = n;
            else foreach (int d in draws) weight += denominators[d];
            for (int c = 0; c < numerators.Count; c++)
            {
                var column = numerators[c];
                double sum = 0;
                foreach (int d in draws) sum += column[d];
                stats[c][b] = weight == 0 ? 0 : sum / weight;
            }
        }
        double alpha = 1 - level;
        for (int c = 0; c < stats.Length; c++)
        {
            Array.Sort(stats[c]);
            result[c] = (Quantile(stats[c], alpha / 2), Quantile(stats[c], 1 - alpha / 2));
        }
        return result;
    }

    /// <summary>Linear-interpolation quantile of sorted values at position q·(n − 1).</summary>
    internal static double Quantile(double[] sorted, double q)
    {
        double position = q * (sorted.Length - 1);
        int lo = (int)Math.Floor(position);
        int hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (position - lo) * (sorted[hi] - sorted[lo]);
    }

    /// <summary>SplitMix64.</summary>
    private static ulong NextRandom(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
