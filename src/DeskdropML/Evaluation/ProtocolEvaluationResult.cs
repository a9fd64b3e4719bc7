using DeskdropML.Evaluation.Protocols;

namespace DeskdropML.Evaluation;

/// <summary>The metrics reported with an interval: their names in JSON order.</summary>
public enum ReportedMetric
{
    /// <summary>precision@k.</summary>
    Precision,
    /// <summary>recall@k.</summary>
    Recall,
    /// <summary>NDCG@k.</summary>
    Ndcg,
    /// <summary>AP@k (mean: MAP@k).</summary>
    Map,
    /// <summary>Reciprocal rank (mean: MRR).</summary>
    Mrr,
    /// <summary>hit@k (mean: hit rate).</summary>
    HitRate,
}

/// <summary>
/// One model evaluated over every fold of a protocol: the pooled evaluation units ((user, fold) pairs), their means,
/// bootstrap intervals, the random expectation over the same candidates and the diagnostics.
/// </summary>
/// <remarks>
/// Means are unweighted over units: a user evaluated in three folds counts three times. Units appear fold by fold,
/// users ascending, so two models evaluated on the same folds have the same units in the same order
/// (<see cref="PairedDifference"/> relies on it).
/// </remarks>
public sealed class ProtocolEvaluationResult
{
    internal ProtocolEvaluationResult(string protocol, CandidatePolicy policy, int k, IReadOnlyList<RankingEvaluationResult> folds,
        int resamples, int seed)
    {
        Protocol = protocol;
        Policy = policy;
        K = k;
        Folds = folds;
        var fold = new List<int>();
        var user = new List<int>();
        var values = new List<UserRankingMetrics>();
        double rp = 0, rr = 0, rn = 0, rh = 0, coverage = 0;
        long slots = 0, coldSlots = 0;
        var warm = new List<UserRankingMetrics>();
        var fresh = new List<UserRankingMetrics>();
        for (int f = 0; f < folds.Count; f++)
        {
            var r = folds[f];
            for (int j = 0; j < r.PerUser.Count; j++)
            {
                fold.Add(f);
                user.Add(r.PerUser[j].UserIndex);
                values.Add(r.PerUser[j].Metrics);
                var unit = r.Units[j];
                rp += unit.Random.Precision; rr += unit.Random.Recall; rn += unit.Random.Ndcg; rh += unit.Random.Hit;
                slots += unit.Slots; coldSlots += unit.ColdSlots;
                if (unit.WarmOnly is UserRankingMetrics w) warm.Add(w);
                if (unit.NewOnly is UserRankingMetrics n) fresh.Add(n);
            }
            coverage += r.CandidateCoverage;
        }
        UnitFolds = fold.ToArray();
        UnitUsers = user.ToArray();
        _values = values.ToArray();
        int units = _values.Length;
        Random = units == 0 ? default : new RandomExpectation(rp / units, rr / units, rn / units, rh / units);
        ColdShare = slots == 0 ? 0 : (double)coldSlots / slots;
        CandidateCoverage = folds.Count == 0 ? 0 : coverage / folds.Count;
        Means = MeansOf(_values);
        WarmItemsOnly = MeansOf(warm.ToArray());
        NewItemsOnly = MeansOf(fresh.ToArray());
        Resamples = resamples;
        Seed = seed;
        var intervals = Bootstrap.MeanIntervals(Columns(_values), resamples, seed);
        var map = new Dictionary<ReportedMetric, (double, double)>();
        foreach (var m in Enum.GetValues<ReportedMetric>()) map[m] = intervals[(int)m];
        Intervals = map;
    }

    private readonly UserRankingMetrics[] _values;

    /// <summary>Pools already evaluated folds (all on the same candidate policy) into one result.</summary>
    public static ProtocolEvaluationResult FromFolds(string protocol, CandidatePolicy policy, int k, IReadOnlyList<RankingEvaluationResult> folds,
        int resamples = Bootstrap.DefaultResamples, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(folds);
        return new ProtocolEvaluationResult(protocol, policy, k, folds, resamples, seed);
    }

    /// <summary>The protocol's name.</summary>
    public string Protocol { get; }

    /// <summary>The candidate policy.</summary>
    public CandidatePolicy Policy { get; }

    /// <summary>The cut-off.</summary>
    public int K { get; }

    /// <summary>The evaluation of each fold.</summary>
    public IReadOnlyList<RankingEvaluationResult> Folds { get; }

    /// <summary>Fold index of each unit.</summary>
    public IReadOnlyList<int> UnitFolds { get; }

    /// <summary>User index of each unit.</summary>
    public IReadOnlyList<int> UnitUsers { get; }

    /// <summary>Metrics of each unit.</summary>
    public ReadOnlySpan<UserRankingMetrics> UnitMetrics => _values;

    /// <summary>Number of evaluation units.</summary>
    public int Units => _values.Length;

    /// <summary>Means over all units.</summary>
    public RankingMetricMeans Means { get; }

    /// <summary>95% percentile-bootstrap interval of each mean (units resampled, <see cref="Resamples"/> times, seeded by <see cref="Seed"/>).</summary>
    public IReadOnlyDictionary<ReportedMetric, (double Low, double High)> Intervals { get; }

    /// <summary>The exact expectation of a uniformly random ranking over each unit's candidates, averaged over units.</summary>
    public RandomExpectation Random { get; }

    /// <summary>Share of filled top-k positions holding an item without a training entry (pooled over units and folds).</summary>
    public double ColdShare { get; }

    /// <summary>Means with only warm items ranked and relevant (units with a warm relevant item).</summary>
    public RankingMetricMeans WarmItemsOnly { get; }

    /// <summary>Means with only new items (no training entry) ranked and relevant (units with a new relevant item).</summary>
    public RankingMetricMeans NewItemsOnly { get; }

    /// <summary>Mean over folds of (distinct items recommended / candidates).</summary>
    public double CandidateCoverage { get; }

    /// <summary>Bootstrap resamples.</summary>
    public int Resamples { get; }

    /// <summary>Bootstrap seed.</summary>
    public int Seed { get; }

    /// <summary>The mean of one metric.</summary>
    public double Mean(ReportedMetric metric) => Value(Means, metric);

    /// <summary>The per-unit values of one metric.</summary>
    public double[] UnitValues(ReportedMetric metric)
    {
        var v = new double[_values.Length];
        for (int j = 0; j < v.Length; j++) v[j] = Value(_values[j], metric);
        return v;
    }

    /// <summary>
    /// The paired difference this − <paramref name="reference"/> of every metric on the same units: the mean difference
    /// and a bootstrap interval of the per-unit differences (same resamples and seed as the intervals).
    /// </summary>
    /// <exception cref="ArgumentException">The two results were not computed on the same units.</exception>
    public IReadOnlyDictionary<ReportedMetric, (double Mean, double Low, double High)> PairedDifference(ProtocolEvaluationResult reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (!UnitFolds.SequenceEqual(reference.UnitFolds) || !UnitUsers.SequenceEqual(reference.UnitUsers))
            throw new ArgumentException("The two evaluations have different units; evaluate both on the same folds.", nameof(reference));
        var metrics = Enum.GetValues<ReportedMetric>();
        var columns = new double[metrics.Length][];
        foreach (var m in metrics)
        {
            var a = UnitValues(m);
            var b = reference.UnitValues(m);
            for (int j = 0; j < a.Length; j++) a[j] -= b[j];
            columns[(int)m] = a;
        }
        var intervals = Bootstrap.MeanIntervals(columns, Resamples, Seed);
        var result = new Dictionary<ReportedMetric, (double, double, double)>();
        foreach (var m in metrics) result[m] = (Mean(m) - reference.Mean(m), intervals[(int)m].Low, intervals[(int)m].High);
        return result;
    }

    internal static double Value(RankingMetricMeans m, ReportedMetric metric) => metric switch
    {
        ReportedMetric.Precision => m.Precision,
        ReportedMetric.Recall => m.Recall,
        ReportedMetric.Ndcg => m.Ndcg,
        ReportedMetric.Map => m.Map,
        ReportedMetric.Mrr => m.Mrr,
        _ => m.HitRate,
    };

    internal static double Value(in UserRankingMetrics m, ReportedMetric metric) => metric switch
    {
        ReportedMetric.Precision => m.Precision,
        ReportedMetric.Recall => m.Recall,
        ReportedMetric.Ndcg => m.Ndcg,
        ReportedMetric.Map => m.AveragePrecision,
        ReportedMetric.Mrr => m.ReciprocalRank,
        _ => m.Hit,
    };

    private static double[][] Columns(UserRankingMetrics[] values)
    {
        var metrics = Enum.GetValues<ReportedMetric>();
        var columns = new double[metrics.Length][];
        foreach (var m in metrics)
        {
            var c = new double[values.Length];
            for (int j = 0; j < c.Length; j++) c[j] = Value(values[j], m);
            columns[(int)m] = c;
        }
        return columns;
    }

    private static RankingMetricMeans MeansOf(UserRankingMetrics[] values)
    {
        if (values.Length == 0) return new RankingMetricMeans(0, 0, 0, 0, 0, 0, 0);
        double p = 0, r = 0, n = 0, a = 0, rr = 0, h = 0;
        foreach (var m in values) { p += m.Precision; r += m.Recall; n += m.Ndcg; a += m.AveragePrecision; rr += m.ReciprocalRank; h += m.Hit; }
        int c = values.Length;
        return new RankingMetricMeans(c, p / c, r / c, n / c, a / c, rr / c, h / c);
    }
}
