namespace DeskdropML.Evaluation.Protocols;

/// <summary>
/// Rolling-origin backtest: train on the past, rank what existed then, test on the next window (DESIGN section 7).
/// </summary>
/// <remarks>
/// <para><b>Folds.</b> Test folds start at <see cref="Options.SplitTime"/> and every <see cref="Options.FoldDays"/>
/// after it while the start is not after the last event: fold f covers [t_f, t_f + D). Validation folds are the
/// <see cref="Options.ValidationFolds"/> windows of the same length that end at the split time; they never see an
/// event at or after the split.</para>
/// <para><b>Train of the fold at t.</b> The events before t (expanding window), or in [t − W, t) with
/// <see cref="Options.TrainWindowDays"/> W, aggregated per (user, item): strength = smoothed sum of the event
/// strengths, time = the last event. Events at or after t never enter.</para>
/// <para><b>Relevant.</b> For user u, the candidate items u has an event on in [t, t + D) and no event before t
/// (any time before t, also outside a sliding window). Users without a relevant item are not evaluated in that fold;
/// an evaluation unit is a (user, fold) pair. Users without a train event are cold (popularity fallback).</para>
/// </remarks>
public sealed class RollingBacktest : IEvaluationProtocol
{
    /// <summary>Options of the backtest.</summary>
    public sealed class Options
    {
        /// <summary>Start of the first test fold (Unix seconds). Default: the Deskdrop notebook's split, 1475519530.</summary>
        public long SplitTime = Data.DatasetOptions.DeskdropSplitTime;

        /// <summary>Length of every fold in days (may be fractional, e.g. 0.25 for 6 hours). Must be &gt; 0. Default 7.</summary>
        public double FoldDays = 7;

        /// <summary>Sliding train window in days; null (default) = every event before the fold start (expanding window).</summary>
        public double? TrainWindowDays;

        /// <summary>
        /// Validation folds before the split time; null (default) = as many as cover 14 days (at least 1):
        /// 2 weekly folds, 14 daily folds.
        /// </summary>
        public int? ValidationFolds;
    }

    private readonly Options _options;
    private readonly long _foldSeconds;
    private readonly long? _windowSeconds;

    /// <summary>Creates the protocol after validating the options.</summary>
    /// <exception cref="ArgumentOutOfRangeException">FoldDays, TrainWindowDays or ValidationFolds out of range.</exception>
    public RollingBacktest(Options? options = null)
    {
        _options = options ?? new Options();
        if (!(_options.FoldDays > 0) || _options.FoldDays > 36500)
            throw new ArgumentOutOfRangeException(nameof(Options.FoldDays), _options.FoldDays, "FoldDays must be in (0, 36500].");
        if (_options.TrainWindowDays is double w && (!(w > 0) || w > 36500))
            throw new ArgumentOutOfRangeException(nameof(Options.TrainWindowDays), w, "TrainWindowDays must be in (0, 36500] (or null for an expanding window).");
        if (_options.ValidationFolds is int v && (v < 1 || v > 10000))
            throw new ArgumentOutOfRangeException(nameof(Options.ValidationFolds), v, "ValidationFolds must be in [1, 10000].");
        _foldSeconds = Math.Max(1, (long)Math.Round(_options.FoldDays * 86400));
        _windowSeconds = _options.TrainWindowDays is double days ? Math.Max(1, (long)Math.Round(days * 86400)) : null;
    }

    /// <inheritdoc />
    public string Name => "backtest";

    /// <summary>Number of validation folds used (see <see cref="Options.ValidationFolds"/>).</summary>
    public int ValidationFoldCount => _options.ValidationFolds ?? Math.Max(1, (int)Math.Ceiling(14 * 86400.0 / _foldSeconds));

    /// <summary>The test fold starts for a history (Unix seconds).</summary>
    public IReadOnlyList<long> TestStarts(InteractionHistory history)
    {
        var starts = new List<long>();
        if (history.EventCount == 0) return starts;
        long last = history.EventTimes[^1];
        for (long t = _options.SplitTime; t <= last; t = checked(t + _foldSeconds)) starts.Add(t);
        return starts;
    }

    /// <inheritdoc />
    /// <remarks>The folds are built on first access and held weakly (see <see cref="LazyFoldList"/>): evaluating them
    /// one after another needs one fold's memory at a time, not the sum over the folds (each fold's train is every pair
    /// before it, so that sum is about folds × the log's pairs).</remarks>
    public IReadOnlyList<EvaluationFold> TestFolds(InteractionHistory history, CandidatePolicy candidates)
    {
        ArgumentNullException.ThrowIfNull(history);
        var starts = TestStarts(history);
        FoldBuilder.CheckPolicy(history, candidates, _options.SplitTime);
        return new LazyFoldList(starts.Count, f => Fold(history, f, "test", starts[f], candidates));
    }

    /// <inheritdoc />
    /// <remarks>Built on first access and held weakly, as <see cref="TestFolds"/>.</remarks>
    public IReadOnlyList<EvaluationFold> ValidationFolds(InteractionHistory history, CandidatePolicy candidates)
    {
        ArgumentNullException.ThrowIfNull(history);
        int n = ValidationFoldCount;
        FoldBuilder.CheckPolicy(history, candidates, _options.SplitTime);
        return new LazyFoldList(n, f => Fold(history, f, "validation", _options.SplitTime - (long)(n - f) * _foldSeconds, candidates));
    }

    /// <summary>Builds the fold starting at <paramref name="start"/>.</summary>
    public EvaluationFold Fold(InteractionHistory history, int index, string role, long start, CandidatePolicy candidates)
    {
        long end = start + _foldSeconds;
        int trainEnd = history.EventsBefore(start);
        int trainStart = _windowSeconds is long w ? history.EventsBefore(start - w) : 0;
        int testEnd = history.EventsBefore(end);
        var users = history.EventUsers;
        var items = history.EventItems;
        var times = history.EventTimes;
        var strengths = history.EventStrengths;

        var builder = new FoldBuilder(history);
        foreach (var (u, i, sum, last) in Aggregate(users, items, times, strengths, trainStart, trainEnd))
            builder.AddTrain(u, i, history.Smooth(sum), last);
        HashSet<long>? before = null;
        if (trainStart > 0)
        {
            before = new HashSet<long>();
            for (int e = 0; e < trainEnd; e++) before.Add(FoldBuilder.Key(users[e], items[e]));
        }
        foreach (var (u, i, sum, last) in Aggregate(users, items, times, strengths, trainEnd, testEnd))
            builder.AddTest(u, i, history.Smooth(sum), last);
        return builder.Build(index, role, start, end, candidates, history.EventWindow(trainStart, trainEnd - trainStart),
            before is null ? null : (u, i) => before.Contains(FoldBuilder.Key(u, i)));
    }

    /// <summary>Events [from, to) summed per (user, item) with the last event's time, in order of first appearance.</summary>
    private static List<(int User, int Item, double Sum, long Last)> Aggregate(ReadOnlySpan<int> users, ReadOnlySpan<int> items,
        ReadOnlySpan<long> times, ReadOnlySpan<float> strengths, int from, int to)
    {
        var index = new Dictionary<long, int>();
        var pairs = new List<(int User, int Item, double Sum, long Last)>();
        for (int e = from; e < to; e++)
        {
            long key = FoldBuilder.Key(users[e], items[e]);
            if (!index.TryGetValue(key, out int p))
            {
                p = pairs.Count;
                index.Add(key, p);
                pairs.Add((users[e], items[e], 0, 0));
            }
            var x = pairs[p];
            pairs[p] = (x.User, x.Item, x.Sum + strengths[e], times[e]);
        }
        return pairs;
    }
}
