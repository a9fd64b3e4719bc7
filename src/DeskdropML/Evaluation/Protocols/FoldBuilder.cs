using DeskdropML.Data;

namespace DeskdropML.Evaluation.Protocols;

/// <summary>Turns train entries and test interactions into an <see cref="EvaluationFold"/> (shared by every protocol).</summary>
internal sealed class FoldBuilder
{
    private readonly InteractionHistory _history;
    private readonly InteractionDataset.PairBuffer _train = new();
    private readonly List<(int User, int Item, float Value, long Time)> _test = new();
    private readonly bool[] _itemHasTrain;
    private readonly HashSet<long> _trainPairs = new();

    public FoldBuilder(InteractionHistory history)
    {
        _history = history;
        _itemHasTrain = new bool[history.Items.Count];
    }

    /// <summary>Adds a train pair (already aggregated).</summary>
    public void AddTrain(int user, int item, float value, long time)
    {
        _train.Add(user, item, value, time);
        _itemHasTrain[item] = true;
        _trainPairs.Add(Key(user, item));
    }

    /// <summary>Adds a test pair: relevant when the item is a candidate and the user has no earlier interaction with it.</summary>
    public void AddTest(int user, int item, float value, long time) => _test.Add((user, item, value, time));

    /// <summary>
    /// Builds the fold. <paramref name="earlier"/> says whether the user interacted with the item before the fold
    /// (null: the train pairs decide).
    /// </summary>
    public EvaluationFold Build(int index, string role, long? start, long? end, CandidatePolicy policy, FoldEvents events,
        Func<int, int, bool>? earlier = null)
    {
        var candidates = Candidates(policy, start);
        var test = new InteractionDataset.PairBuffer();
        int outside = 0;
        foreach (var (u, i, v, t) in _test)
        {
            bool isEarlier = earlier?.Invoke(u, i) ?? _trainPairs.Contains(Key(u, i));
            if (isEarlier) continue; // an earlier item is neither ranked nor relevant
            if (!candidates[i]) { outside++; continue; }
            test.Add(u, i, v, t);
        }
        int contentOnly = 0;
        for (int i = 0; i < candidates.Length; i++) if (candidates[i] && !_itemHasTrain[i]) contentOnly++;
        var counts = new DatasetSummary
        {
            InteractionsRaw = _history.RowsRead,
            UsersTotal = _history.UsersTotal,
            UsersKept = _history.Users.Count,
            InteractionsKept = _history.EventCount,
            Pairs = _history.PairCount,
            SplitTime = start ?? 0,
        };
        var dataset = InteractionDataset.Create(_history.Users, _history.Items, _train, test, counts);
        return new EvaluationFold(index, role, start, end, dataset, candidates, events, policy, outside, contentOnly);
    }

    private bool[] Candidates(CandidatePolicy policy, long? time)
    {
        var mask = new bool[_itemHasTrain.Length];
        switch (policy)
        {
            case CandidatePolicy.Catalog:
                _history.ItemHasPairs.CopyTo(mask);
                break;
            case CandidatePolicy.Seen:
                _itemHasTrain.CopyTo(mask, 0);
                break;
            case CandidatePolicy.Available:
                CheckPolicy(_history, policy, time);
                var articles = _history.Articles!;
                long t = time!.Value;
                for (int i = 0; i < mask.Length; i++)
                    mask[i] = _itemHasTrain[i] || articles.IsAvailable(_history.Items[i], t);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(policy), policy, "Unknown candidate policy.");
        }
        return mask;
    }

    /// <summary>Throws what building a fold with this policy would throw (so that lazily built folds fail early).</summary>
    /// <exception cref="InvalidOperationException">The 'available' policy without an article file or without a fold time.</exception>
    internal static void CheckPolicy(InteractionHistory history, CandidatePolicy policy, long? time)
    {
        if (policy != CandidatePolicy.Available) return;
        if (history.Articles is null)
            throw new InvalidOperationException("The 'available' candidate policy needs an article file (CONTENT SHARED / CONTENT REMOVED rows); none was given.");
        if (time is null)
            throw new InvalidOperationException("The 'available' candidate policy needs a time-based protocol (time or backtest).");
    }

    internal static long Key(int user, int item) => ((long)user << 32) | (uint)item;
}
