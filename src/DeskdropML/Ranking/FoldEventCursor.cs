using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using DeskdropML.Evaluation.Protocols;

namespace DeskdropML.Ranking;

/// <summary>
/// Follows the folds of a time-based protocol in order and tells which train events are new since the previous fold,
/// so that streaming models update their counters instead of recounting.
/// </summary>
/// <remarks>
/// Fold f+1 continues fold f when both folds' train events are windows of the same event arrays starting at the same
/// event, fold f+1 holds at least as many events, and it starts no earlier (a previous fold without events is always a restart: rebuilding from nothing is free). Anything else (a new protocol run, a
/// sliding train window, folds out of order) is a restart: the caller rebuilds its state from all of the fold's events.
/// </remarks>
public sealed class FoldEventCursor
{
    private FoldEvents? _previous;
    private long _previousStart = long.MinValue;

    /// <summary>Events of the previous fold already consumed (0 after a restart).</summary>
    public int Consumed { get; private set; }

    /// <summary>
    /// Moves to <paramref name="fold"/>: returns true and the index of its first new event when it continues the previous
    /// fold; false (and 0) when the caller must rebuild from all of its events.
    /// </summary>
    /// <exception cref="ArgumentException">The fold has no start time (not a time-based protocol).</exception>
    public bool MoveTo(EvaluationFold fold, out int firstNew)
    {
        ArgumentNullException.ThrowIfNull(fold);
        long start = fold.Start ?? throw new ArgumentException("Streaming models need time-based folds (a fold start).", nameof(fold));
        var events = fold.TrainEvents;
        bool continues = _previous is { } p && p.Count > 0 && start >= _previousStart && events.Count >= p.Count && SameStart(p, events);
        firstNew = continues ? _previous!.Count : 0;
        _previous = events;
        _previousStart = start;
        Consumed = events.Count;
        return continues;
    }

    private static bool SameStart(FoldEvents a, FoldEvents b) =>
        Unsafe.AreSame(ref MemoryMarshal.GetReference(a.Users), ref MemoryMarshal.GetReference(b.Users))
        && Unsafe.AreSame(ref MemoryMarshal.GetReference(a.Times), ref MemoryMarshal.GetReference(b.Times));
}
