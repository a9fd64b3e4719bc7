using DeskdropML.Sparse;

namespace DeskdropML.Ranking;

/// <summary>
/// Trains the two-stage recommender on an event log up to "now": streams the events through a
/// <see cref="FreshnessState"/>, turns the last <see cref="Options.TrainingWindows"/> windows of
/// <see cref="Options.WindowHours"/> before now into LambdaRank groups (<see cref="TrainingWindows"/>) and fits the ranker.
/// </summary>
/// <remarks>
/// Window k covers [now − (K − k)·W, now − (K − k − 1)·W): its features come from the state at its start and its labels
/// from its own events, so every event the ranker learns from is before now, and the features of a group never see
/// the events they are labelled with.
/// </remarks>
public sealed class TwoStageTrainer
{
    /// <summary>Options of the two-stage recommender.</summary>
    public sealed class Options
    {
        /// <summary>Counters: half-lives and co-read windows.</summary>
        public FreshnessState.Options Freshness = new();

        /// <summary>Stage 1 generators and feature groups.</summary>
        public CandidateOptions Candidates = new();

        /// <summary>Stage 2: LightGBM LambdaRank settings.</summary>
        public LambdaRankTrainer.Options Ranker = new();

        /// <summary>Length W of a training window in hours (use the evaluation fold's length), &gt; 0. Default 24.</summary>
        public double WindowHours = 24;

        /// <summary>Windows before now whose groups train the ranker, ≥ 1. Default 28 (28 days of daily windows; for weekly windows 12 did best on validation).</summary>
        public int TrainingWindows = 28;

        /// <summary>Retrain the ranker after this many new windows in <see cref="TwoStageModel.Update"/> (0 = never). Default 7.</summary>
        public int RetrainEveryWindows = 7;

        /// <summary>At most this many users (groups) per window, sampled by a seeded hash, ≥ 1. Default 2,000.</summary>
        public int MaxGroupsPerWindow = 2000;

        /// <summary>Seed of the group sampling (the ranker has its own). Default 1.</summary>
        public int Seed = 1;

        internal Options Clone() => new()
        {
            Freshness = Freshness.Clone(),
            Candidates = Candidates.Clone(),
            Ranker = Ranker.Clone(),
            WindowHours = WindowHours,
            TrainingWindows = TrainingWindows,
            RetrainEveryWindows = RetrainEveryWindows,
            MaxGroupsPerWindow = MaxGroupsPerWindow,
            Seed = Seed,
        };
    }

    private readonly Options _options;

    /// <summary>Creates the trainer after validating the options.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (named by the exception's parameter).</exception>
    public TwoStageTrainer(Options? options = null)
    {
        _options = (options ?? new Options()).Clone();
        var o = _options;
        if (!(o.WindowHours > 0) || o.WindowHours > 24 * 36500) throw new ArgumentOutOfRangeException(nameof(Options.WindowHours), o.WindowHours, "WindowHours must be in (0, 876000].");
        if (o.TrainingWindows < 1 || o.TrainingWindows > 10_000) throw new ArgumentOutOfRangeException(nameof(Options.TrainingWindows), o.TrainingWindows, "TrainingWindows must be in [1, 10000].");
        if (o.RetrainEveryWindows < 0) throw new ArgumentOutOfRangeException(nameof(Options.RetrainEveryWindows), o.RetrainEveryWindows, "RetrainEveryWindows must be ≥ 0.");
        if (o.MaxGroupsPerWindow < 1) throw new ArgumentOutOfRangeException(nameof(Options.MaxGroupsPerWindow), o.MaxGroupsPerWindow, "MaxGroupsPerWindow must be ≥ 1.");
        _ = new LambdaRankTrainer(o.Ranker); // validates the ranker options
        _ = new FreshnessState(0, 0, o.Freshness); // validates the counters' options
        o.Candidates.Validate(new FreshnessState(0, 0, o.Freshness));
    }

    /// <summary>A copy of the options.</summary>
    public Options Settings => _options.Clone();

    /// <summary>Fits on the events before <paramref name="now"/> (time-ordered spans; later events are refused).</summary>
    /// <param name="users">The user map (event user indices index it).</param>
    /// <param name="items">The item map.</param>
    /// <param name="eventUsers">User of each event.</param>
    /// <param name="eventItems">Item of each event.</param>
    /// <param name="eventTimes">Time of each event (ascending, all before <paramref name="now"/>).</param>
    /// <param name="now">The model's time: it ranks for the period starting here.</param>
    /// <exception cref="ArgumentException">An event at or after now, events out of order, or no relevant training row.</exception>
    public TwoStageModel Fit(IdMap users, IdMap items, ReadOnlySpan<int> eventUsers, ReadOnlySpan<int> eventItems, ReadOnlySpan<long> eventTimes, long now)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(items);
        var model = new TwoStageModel(users, items, _options.Clone(), now);
        model.Stream(eventUsers, eventItems, eventTimes, now, collect: true);
        model.Retrain();
        return model;
    }
}
