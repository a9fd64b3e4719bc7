using System.IO.Compression;
using DeskdropML.Recommending;
using DeskdropML.Sparse;

namespace DeskdropML.Ranking;

/// <summary>
/// The two-stage recommender: generators' state (<see cref="FreshnessState"/>) and a LightGBM LambdaRank ranker.
/// Stage 1 takes the union of the candidates of the recency, freshness and co-read generators
/// (<see cref="RankingSnapshot.Candidates"/>); stage 2 orders them by the ranker's score.
/// </summary>
/// <remarks>
/// <para><b>Scores</b> (<see cref="ScoreItems(int, Span{float})"/>, at the state's time <see cref="Now"/>): a candidate gets the ranker's
/// score; any other item with an event before now gets <c>−10⁶ − its recency rank</c> (below every candidate, in recency
/// order); an item never seen gets −∞. Before a ranker could be trained (no relevant training row) candidates are
/// ordered by recency rank alone.</para>
/// <para><b>Incremental use.</b> <see cref="Update"/> streams new events into the counters and, every
/// <see cref="TwoStageTrainer.Options.RetrainEveryWindows"/> windows, retrains the ranker on the latest
/// <see cref="TwoStageTrainer.Options.TrainingWindows"/> windows. Windows are collected only when updates land on the
/// window grid (multiples of the window length from the fit time), as in a backtest.</para>
/// <para><b>Zip.</b> <see cref="Save"/> writes the ranker as an ML.NET model and adds one entry with the maps, options,
/// counters and feature names; training rows are not saved (a loaded model updates its counters and collects new
/// windows before it retrains).</para>
/// </remarks>
public sealed class TwoStageModel : IRecommenderModel
{
    /// <summary>Zip entry that holds the generators' state.</summary>
    public const string StateEntryName = "DeskdropML/two-stage.bin";
    private const int FormatVersion = 2; // 2: neighbour features (pair last times, reader and item lists in the state)

    private readonly TwoStageTrainer.Options _options;
    private readonly FreshnessState _state;
    private readonly List<WindowRows> _windows = new();
    private readonly long _windowSeconds;
    private readonly long _anchor;
    private int _windowsSinceRetrain;
    private RankingSnapshot? _snapshot;
    private readonly object _snapshotLock = new();

    internal TwoStageModel(IdMap users, IdMap items, TwoStageTrainer.Options options, long anchor, FreshnessState? state = null)
    {
        Users = users;
        Items = items;
        _options = options;
        _state = state ?? new FreshnessState(users.Count, items.Count, options.Freshness);
        _windowSeconds = Math.Max(1, (long)Math.Round(options.WindowHours * 3600));
        _anchor = anchor;
    }

    /// <inheritdoc />
    public IdMap Users { get; }

    /// <inheritdoc />
    public IdMap Items { get; }

    /// <summary>The time the counters are at: recommendations are for the period starting here.</summary>
    public long Now => _state.Now;

    /// <summary>The counters.</summary>
    public FreshnessState State => _state;

    /// <summary>The ranker, or null when no relevant training row was ever seen.</summary>
    public LambdaRankModel? Ranker { get; private set; }

    /// <summary>How many times the ranker was trained.</summary>
    public int Trainings { get; private set; }

    /// <summary>The windows collected so far (the ranker trains on the latest <see cref="TwoStageTrainer.Options.TrainingWindows"/>).</summary>
    public IReadOnlyList<WindowRows> Windows => _windows;

    /// <summary>A copy of the options.</summary>
    public TwoStageTrainer.Options Settings => _options.Clone();

    /// <summary>Names of the ranker's features.</summary>
    public IReadOnlyList<string> FeatureNames => RankingFeatures.Names(_state.HalfLivesHours, _options.Candidates.Groups);

    /// <summary>The ranker's gain importance per feature, largest first (empty without a ranker).</summary>
    public IReadOnlyList<(string Feature, double Gain)> FeatureImportances()
    {
        if (Ranker is null) return Array.Empty<(string, double)>();
        var list = new List<(string, double)>();
        for (int f = 0; f < Ranker.FeatureNames.Count; f++) list.Add((Ranker.FeatureNames[f], Ranker.Importances[f]));
        return list.OrderByDescending(x => x.Item2).ThenBy(x => x.Item1, StringComparer.Ordinal).ToArray();
    }

    /// <summary>
    /// Applies new events (time order, each in [<see cref="Now"/>, <paramref name="now"/>)) to the counters, collecting
    /// training windows on the grid, and retrains the ranker when <see cref="TwoStageTrainer.Options.RetrainEveryWindows"/>
    /// new windows have accumulated.
    /// </summary>
    /// <returns>True when the ranker was retrained.</returns>
    public bool Update(ReadOnlySpan<int> users, ReadOnlySpan<int> items, ReadOnlySpan<long> times, long now)
    {
        bool rolling = _options.RetrainEveryWindows > 0;
        Stream(users, items, times, now, collect: rolling);
        if (rolling && _windowsSinceRetrain >= _options.RetrainEveryWindows)
        {
            Retrain();
            return true;
        }
        return false;
    }

    /// <summary>Streams events into the state up to <paramref name="now"/>, stopping at each grid boundary to collect its window.</summary>
    internal void Stream(ReadOnlySpan<int> users, ReadOnlySpan<int> items, ReadOnlySpan<long> times, long now, bool collect)
    {
        if (users.Length != items.Length || users.Length != times.Length) throw new ArgumentException("One user, item and time per event.", nameof(times));
        if (now < _state.Now) throw new ArgumentException($"The model is at {_state.Now}; it cannot go back to {now}.", nameof(now));
        int pos = 0;
        if (_state.Now == long.MinValue)
        {
            // First fit: jump to the start of the earliest training window in one step.
            long first = now - _options.TrainingWindows * _windowSeconds;
            int end = Before(times, first);
            _state.Advance(users[..end], items[..end], times[..end], first);
            pos = end;
        }
        while (true)
        {
            long start = _state.Now;
            long offset = ((start - _anchor) % _windowSeconds + _windowSeconds) % _windowSeconds;
            bool onGrid = offset == 0;
            long next = onGrid ? start + _windowSeconds : start + (_windowSeconds - offset);
            if (next > now) break;
            int end = pos + Before(times[pos..], next);
            if (collect && onGrid)
            {
                var snapshot = new RankingSnapshot(_state, start, _options.Candidates);
                _windows.Add(TrainingWindows.Collect(snapshot, _state, users[pos..end], items[pos..end], _options.MaxGroupsPerWindow, _options.Seed));
                _windowsSinceRetrain++;
                int excess = _windows.Count - _options.TrainingWindows;
                if (excess > 0) _windows.RemoveRange(0, excess);
            }
            _state.Advance(users[pos..end], items[pos..end], times[pos..end], next);
            pos = end;
        }
        if (pos < times.Length || now > _state.Now) _state.Advance(users[pos..], items[pos..], times[pos..], now);
    }

    private static int Before(ReadOnlySpan<long> times, long t)
    {
        int lo = 0, hi = times.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (times[mid] < t) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    /// <summary>Trains the ranker on the latest windows (keeps the previous ranker when they hold no relevant row).</summary>
    public void Retrain()
    {
        var rows = new RankingRows(RankingFeatures.Names(_state.HalfLivesHours, _options.Candidates.Groups).Count);
        foreach (var w in _windows) rows.AddRange(w.Rows);
        _windowsSinceRetrain = 0;
        if (rows.Positives == 0) return;
        Ranker = new LambdaRankTrainer(_options.Ranker).Fit(rows, FeatureNames);
        Trainings++;
    }

    private RankingSnapshot Snapshot()
    {
        lock (_snapshotLock)
        {
            if (_snapshot is null || _snapshot.Time != _state.Now || _snapshotVersion != _state.Version)
            {
                _snapshot = new RankingSnapshot(_state, _state.Now, _options.Candidates);
                _snapshotVersion = _state.Version;
            }
            return _snapshot;
        }
    }

    private int _snapshotVersion = -1;

    /// <inheritdoc />
    public void ScoreItems(int userIndex, Span<float> scores) => Score(Snapshot(), userIndex, scores);

    /// <summary>Scores every item for a user at <paramref name="now"/> ≥ <see cref="Now"/> (counters decayed to then).</summary>
    public void ScoreItems(int userIndex, long now, Span<float> scores) =>
        Score(now == _state.Now ? Snapshot() : new RankingSnapshot(_state, now, _options.Candidates), userIndex, scores);

    private void Score(RankingSnapshot snapshot, int user, Span<float> scores)
    {
        if (scores.Length != Items.Count) throw new ArgumentException($"scores must have {Items.Count} entries.", nameof(scores));
        for (int i = 0; i < scores.Length; i++)
            scores[i] = snapshot.IsSeen(i) ? -1e6f - snapshot.RecencyRank(i) : float.NegativeInfinity;
        var candidates = snapshot.Candidates(user);
        int n = candidates.Items.Length;
        if (n == 0) return;
        if (Ranker is null)
        {
            foreach (int i in candidates.Items) scores[i] = -snapshot.RecencyRank(i);
            return;
        }
        var rows = new float[n * snapshot.FeatureCount];
        snapshot.Features(candidates, rows);
        var s = new float[n];
        Ranker.Score(rows, s);
        for (int c = 0; c < n; c++) scores[candidates.Items[c]] = s[c];
    }

    /// <summary>The top <paramref name="k"/> items for a user at <paramref name="now"/> (≥ <see cref="Now"/>), the user's read items excluded.</summary>
    /// <exception cref="ArgumentException">Unknown user id.</exception>
    public IReadOnlyList<ScoredItem> Recommend(string userId, long now, int k)
    {
        ArgumentNullException.ThrowIfNull(userId);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        int u = Users.IndexOf(userId);
        if (u < 0) throw new ArgumentException($"Unknown user '{userId}'.", nameof(userId));
        var scores = new float[Items.Count];
        ScoreItems(u, now, scores);
        var excluded = new bool[Items.Count];
        for (int i = 0; i < excluded.Length; i++) excluded[i] = _state.HasRead(u, i) || float.IsNegativeInfinity(scores[i]);
        var idx = new int[k];
        var top = new float[k];
        int count = TopK.Select(scores, k, idx, top, excluded);
        var result = new ScoredItem[count];
        for (int j = 0; j < count; j++) result[j] = new ScoredItem(Items[idx[j]], top[j]);
        return result;
    }

    /// <summary>Writes one zip: the ranker as an ML.NET model plus the <see cref="StateEntryName"/> entry.</summary>
    /// <exception cref="InvalidOperationException">No ranker was trained yet.</exception>
    public void Save(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var ranker = Ranker ?? throw new InvalidOperationException("The model has no trained ranker to save.");
        using (var file = File.Create(path)) ranker.Save(file);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Update);
        using var w = new BinaryWriter(zip.CreateEntry(StateEntryName, CompressionLevel.Fastest).Open());
        w.Write(FormatVersion);
        WriteIds(w, Users);
        WriteIds(w, Items);
        WriteOptions(w, _options);
        w.Write(_anchor);
        _state.Write(w);
        w.Write(ranker.FeatureNames.Count);
        foreach (var n in ranker.FeatureNames) w.Write(n);
        w.Write(Trainings);
    }

    /// <summary>Reads a model written by <see cref="Save"/>.</summary>
    /// <exception cref="InvalidDataException">The zip lacks the state entry or has an unknown format version.</exception>
    public static TwoStageModel Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        TwoStageModel model;
        string[] names;
        int trainings;
        using (var zip = ZipFile.OpenRead(path))
        {
            var entry = zip.GetEntry(StateEntryName) ?? throw new InvalidDataException($"{path}: no {StateEntryName} entry (not a two-stage model zip).");
            using var r = new BinaryReader(entry.Open());
            int version = r.ReadInt32();
            if (version != FormatVersion) throw new InvalidDataException($"{path}: two-stage format {version} is not supported (expected {FormatVersion}).");
            var users = ReadIds(r);
            var items = ReadIds(r);
            var options = ReadOptions(r);
            long anchor = r.ReadInt64();
            var state = FreshnessState.Read(r);
            options.Freshness = state.Settings;
            model = new TwoStageModel(users, items, options, anchor, state);
            names = new string[r.ReadInt32()];
            for (int f = 0; f < names.Length; f++) names[f] = r.ReadString();
            trainings = r.ReadInt32();
        }
        using (var file = File.OpenRead(path)) model.Ranker = LambdaRankModel.Load(file, names);
        model.Trainings = trainings;
        return model;
    }

    private static void WriteIds(BinaryWriter w, IdMap map)
    {
        w.Write(map.Count);
        foreach (var id in map.Ids) w.Write(id);
    }

    private static IdMap ReadIds(BinaryReader r)
    {
        var ids = new string[r.ReadInt32()];
        for (int k = 0; k < ids.Length; k++) ids[k] = r.ReadString();
        return new IdMap(ids);
    }

    private static void WriteOptions(BinaryWriter w, TwoStageTrainer.Options o)
    {
        var c = o.Candidates;
        w.Write(c.RecencyHalfLifeHours); w.Write(c.Recency); w.Write(c.Fresh); w.Write(c.CoRead); w.Write((int)c.Groups);
        w.Write(c.Neighbours); w.Write(c.NeighbourQueryItems); w.Write(c.NeighbourReaders); w.Write(c.MaxNeighbours); w.Write(c.CoReadPerItem);
        var g = o.Ranker;
        w.Write(g.NumberOfIterations); w.Write(g.NumberOfLeaves); w.Write(g.MinimumExampleCountPerLeaf); w.Write(g.LearningRate);
        w.Write(g.L2Regularization); w.Write(g.Seed); w.Write(g.NumberOfThreads);
        w.Write(o.WindowHours); w.Write(o.TrainingWindows); w.Write(o.RetrainEveryWindows); w.Write(o.MaxGroupsPerWindow); w.Write(o.Seed);
    }

    private static TwoStageTrainer.Options ReadOptions(BinaryReader r)
    {
        var o = new TwoStageTrainer.Options
        {
            Candidates = new CandidateOptions
            {
                RecencyHalfLifeHours = r.ReadDouble(), Recency = r.ReadInt32(), Fresh = r.ReadInt32(), CoRead = r.ReadInt32(), Groups = (FeatureGroups)r.ReadInt32(),
                Neighbours = r.ReadInt32(), NeighbourQueryItems = r.ReadInt32(), NeighbourReaders = r.ReadInt32(), MaxNeighbours = r.ReadInt32(), CoReadPerItem = r.ReadInt32(),
            },
            Ranker = new LambdaRankTrainer.Options
            {
                NumberOfIterations = r.ReadInt32(), NumberOfLeaves = r.ReadInt32(), MinimumExampleCountPerLeaf = r.ReadInt32(), LearningRate = r.ReadDouble(),
                L2Regularization = r.ReadDouble(), Seed = r.ReadInt32(), NumberOfThreads = r.ReadInt32(),
            },
            WindowHours = r.ReadDouble(), TrainingWindows = r.ReadInt32(), RetrainEveryWindows = r.ReadInt32(), MaxGroupsPerWindow = r.ReadInt32(), Seed = r.ReadInt32(),
        };
        return o;
    }
}
