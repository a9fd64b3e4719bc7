using DeskdropML.Data;

namespace DeskdropML.Evaluation.Protocols;

/// <summary>
/// One fold of an evaluation protocol: what a model may learn from (train), what it must find (relevant pairs)
/// and what it may rank (candidates), all over the history's user and item maps.
/// </summary>
/// <remarks>
/// <para><see cref="Dataset"/>'s <c>Train</c> holds the train pairs (smoothed strength, time of the pair's last train
/// event) and its <c>Test</c> the relevant pairs: for each user, the candidate items the user has a test interaction
/// with and no train interaction. A user without relevant pairs is not evaluated in this fold.</para>
/// <para><see cref="TrainEvents"/> are the raw train events (time-ordered) the train pairs were aggregated from; for
/// pair-based protocols (time split, holdouts, k-fold) they are the train pairs themselves, one event per pair at its
/// time with its summed strength.</para>
/// </remarks>
public sealed class EvaluationFold
{
    internal EvaluationFold(int index, string role, long? start, long? end, InteractionDataset dataset, bool[] candidates,
        FoldEvents trainEvents, CandidatePolicy policy, int relevantOutside, int contentOnlyCandidates)
    {
        Index = index;
        Role = role;
        Start = start;
        End = end;
        Dataset = dataset;
        _candidates = candidates;
        TrainEvents = trainEvents;
        Policy = policy;
        RelevantPairsOutsideCandidates = relevantOutside;
        int c = 0;
        foreach (bool b in candidates) if (b) c++;
        CandidateCount = c;
        ContentOnlyCandidates = contentOnlyCandidates;
    }

    private readonly bool[] _candidates;

    /// <summary>Position of the fold in its protocol (0-based).</summary>
    public int Index { get; }

    /// <summary><c>test</c> or <c>validation</c>.</summary>
    public string Role { get; }

    /// <summary>The fold start t (Unix seconds) for time-based folds; null for per-user protocols.</summary>
    public long? Start { get; }

    /// <summary>The end of the fold's test window (exclusive) for a backtest; null otherwise.</summary>
    public long? End { get; }

    /// <summary>Train (pairs before the fold) and test (relevant pairs) matrices over the history's maps.</summary>
    public InteractionDataset Dataset { get; }

    /// <summary>The candidate items (true = may be ranked), indexed like the items.</summary>
    public ReadOnlySpan<bool> Candidates => _candidates;

    /// <summary>The candidate mask as an array (shared; do not modify).</summary>
    internal bool[] CandidateMask => _candidates;

    /// <summary>Number of candidate items.</summary>
    public int CandidateCount { get; }

    /// <summary>Candidates without any train interaction (only reachable from content; non-zero under <see cref="CandidatePolicy.Available"/> and <see cref="CandidatePolicy.Catalog"/>).</summary>
    public int ContentOnlyCandidates { get; }

    /// <summary>The policy the candidates follow.</summary>
    public CandidatePolicy Policy { get; }

    /// <summary>The train events, time order.</summary>
    public FoldEvents TrainEvents { get; }

    /// <summary>Test pairs on items outside the candidates: not relevant in this fold (counted, never silently dropped).</summary>
    public int RelevantPairsOutsideCandidates { get; }

    /// <summary>Users with at least one relevant pair.</summary>
    public int TestUsers => Dataset.Summary.TestUsers;

    /// <summary>Relevant (user, item) pairs.</summary>
    public int RelevantPairs => Dataset.Test.NonZeroCount;
}

/// <summary>Train events of a fold: parallel arrays in time order (a window of the history's events or of built arrays).</summary>
public sealed class FoldEvents
{
    private readonly int[] _users, _items;
    private readonly long[] _times;
    private readonly float[] _strengths;
    private readonly int _start, _count;

    internal FoldEvents(int[] users, int[] items, long[] times, float[] strengths, int start, int count)
    {
        _users = users; _items = items; _times = times; _strengths = strengths; _start = start; _count = count;
    }

    /// <summary>Number of events.</summary>
    public int Count => _count;

    /// <summary>User index of each event.</summary>
    public ReadOnlySpan<int> Users => _users.AsSpan(_start, _count);

    /// <summary>Item index of each event.</summary>
    public ReadOnlySpan<int> Items => _items.AsSpan(_start, _count);

    /// <summary>Timestamp of each event (ascending).</summary>
    public ReadOnlySpan<long> Times => _times.AsSpan(_start, _count);

    /// <summary>Strength of each event.</summary>
    public ReadOnlySpan<float> Strengths => _strengths.AsSpan(_start, _count);
}
