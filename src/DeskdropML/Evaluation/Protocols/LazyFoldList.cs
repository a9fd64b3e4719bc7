using System.Collections;

namespace DeskdropML.Evaluation.Protocols;

/// <summary>
/// The folds of a protocol, built when first asked for and held only weakly afterwards: a fold stays in memory while a
/// caller holds it (or until the garbage collector needs the memory), and is built again — the same fold, since
/// building is deterministic — when asked for after it was reclaimed.
/// </summary>
/// <remarks>
/// <b>Memory model.</b> A built fold holds its train and relevant matrices, about <c>20 × (train pairs + relevant pairs)</c>
/// bytes plus its candidate mask (one byte per item). Built up front, F folds of an expanding-window backtest hold
/// Σ_f pairs before fold f, about F × the log's pairs; with this list only the folds in use are strongly reachable
/// (one at a time for <see cref="ProtocolEvaluator"/>), so a fold-by-fold evaluation needs one fold's memory at a
/// time. The price is that a caller who walks the folds again (one model after another) may rebuild them.
/// </remarks>
internal sealed class LazyFoldList : IReadOnlyList<EvaluationFold>
{
    private readonly Func<int, EvaluationFold> _build;
    private readonly WeakReference<EvaluationFold>?[] _built;
    private readonly object _gate = new();

    public LazyFoldList(int count, Func<int, EvaluationFold> build)
    {
        _build = build;
        _built = new WeakReference<EvaluationFold>?[count];
    }

    public int Count => _built.Length;

    public EvaluationFold this[int index]
    {
        get
        {
            if ((uint)index >= (uint)_built.Length)
                throw new ArgumentOutOfRangeException(nameof(index), index, $"Fold index must be in [0, {_built.Length}).");
            lock (_gate)
            {
                if (_built[index] is { } weak && weak.TryGetTarget(out var fold)) return fold;
                fold = _build(index);
                _built[index] = new WeakReference<EvaluationFold>(fold);
                return fold;
            }
        }
    }

    public IEnumerator<EvaluationFold> GetEnumerator()
    {
        for (int i = 0; i < _built.Length; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
