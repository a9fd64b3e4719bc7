using DeskdropML.Evaluation;

namespace DeskdropML.Tests.Evaluation;

/// <summary>The seeded percentile bootstrap: determinism, a hand case, and coverage in simulation.</summary>
public class BootstrapTests
{
    [Fact]
    public void Same_seed_same_interval_and_different_seed_differs()
    {
        var random = new Random(5);
        var values = Enumerable.Range(0, 200).Select(_ => random.NextDouble()).ToArray();
        Assert.Equal(Bootstrap.MeanInterval(values, 500, seed: 1), Bootstrap.MeanInterval(values, 500, seed: 1));
        Assert.NotEqual(Bootstrap.MeanInterval(values, 500, seed: 1), Bootstrap.MeanInterval(values, 500, seed: 2));
    }

    [Fact]
    public void A_constant_sample_has_a_zero_width_interval_at_its_value()
    {
        var (lo, hi) = Bootstrap.MeanInterval(Enumerable.Repeat(0.25, 50).ToArray(), 200);
        Assert.Equal(0.25, lo, 12);
        Assert.Equal(0.25, hi, 12);
    }

    [Fact]
    public void Interval_width_matches_the_normal_approximation_for_a_large_sample()
    {
        var random = new Random(11);
        var values = Enumerable.Range(0, 4000).Select(_ => random.NextDouble() < 0.3 ? 1.0 : 0.0).ToArray();
        var (lo, hi) = Bootstrap.MeanInterval(values, 2000, seed: 3);
        double mean = values.Average();
        double se = Math.Sqrt(mean * (1 - mean) / values.Length);
        Assert.InRange((hi - lo) / (2 * 1.96 * se), 0.9, 1.1);
        Assert.True(lo < mean && mean < hi);
    }

    [Fact]
    public void Covers_the_true_mean_at_roughly_the_nominal_rate()
    {
        // 400 samples of n = 150 from a skewed distribution (exponential, mean 1); 95% intervals should cover 1
        // about 95% of the time. With 400 trials the standard error of the rate is about 1.1%.
        var random = new Random(2026);
        int covered = 0;
        const int trials = 400;
        for (int t = 0; t < trials; t++)
        {
            var values = Enumerable.Range(0, 150).Select(_ => -Math.Log(1 - random.NextDouble())).ToArray();
            var (lo, hi) = Bootstrap.MeanInterval(values, 1000, seed: t);
            if (lo <= 1 && 1 <= hi) covered++;
        }
        double rate = (double)covered / trials;
        Assert.InRange(rate, 0.91, 0.985);
    }

    [Fact]
    public void Ratio_intervals_weight_units_by_their_denominators()
    {
        // Two units: 1 hit of 1 pair and 0 hits of 3 pairs -> pooled rate 1/4 with every unit drawn equally often in expectation.
        var (lo, hi) = Bootstrap.RatioIntervals(new[] { new[] { 1.0, 0.0 } }, new[] { 1.0, 3.0 }, 2000, seed: 4)[0];
        Assert.Equal(0, lo, 12);   // a resample of the second unit only
        Assert.Equal(1, hi, 12);   // a resample of the first unit only
    }
}
