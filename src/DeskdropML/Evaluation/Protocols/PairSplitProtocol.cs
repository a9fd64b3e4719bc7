namespace DeskdropML.Evaluation.Protocols;

/// <summary>
/// Base of the protocols that split the (user, item) pairs aggregated over the whole log (time split, user holdout,
/// leave-last-N, k-fold): every pair is train or test in a fold, a pair's time is its last row in file order.
/// </summary>
/// <remarks>
/// Validation: the same rule applied once more to the train pairs of the first test fold (<see cref="AssignValidation"/>),
/// so a tuner never sees a test pair.
/// </remarks>
public abstract class PairSplitProtocol : IEvaluationProtocol
{
    /// <inheritdoc />
    public abstract string Name { get; }

    /// <summary>Number of test folds.</summary>
    protected virtual int FoldCount => 1;

    /// <summary>The fold's time (for the <see cref="CandidatePolicy.Available"/> policy), or null when the protocol has none.</summary>
    protected virtual long? FoldTime(InteractionHistory history, ReadOnlySpan<int> pairs, bool validation) => null;

    /// <summary>Marks the test pairs of fold <paramref name="fold"/> among <paramref name="pairs"/> (indices into the history's pairs).</summary>
    protected abstract void AssignTest(InteractionHistory history, ReadOnlySpan<int> pairs, int fold, Span<bool> isTest);

    /// <summary>Marks the validation pairs among the train pairs of the first test fold; by default the test rule of fold 0.</summary>
    protected virtual void AssignValidation(InteractionHistory history, ReadOnlySpan<int> pairs, Span<bool> isValidation) =>
        AssignTest(history, pairs, 0, isValidation);

    /// <inheritdoc />
    public IReadOnlyList<EvaluationFold> TestFolds(InteractionHistory history, CandidatePolicy candidates)
    {
        ArgumentNullException.ThrowIfNull(history);
        var all = AllPairs(history);
        var folds = new List<EvaluationFold>(FoldCount);
        for (int f = 0; f < FoldCount; f++)
        {
            var isTest = new bool[all.Length];
            AssignTest(history, all, f, isTest);
            folds.Add(Build(history, all, isTest, f, "test", candidates));
        }
        return folds;
    }

    /// <inheritdoc />
    public IReadOnlyList<EvaluationFold> ValidationFolds(InteractionHistory history, CandidatePolicy candidates)
    {
        ArgumentNullException.ThrowIfNull(history);
        var all = AllPairs(history);
        var isTest = new bool[all.Length];
        AssignTest(history, all, 0, isTest);
        var train = new List<int>();
        for (int j = 0; j < all.Length; j++) if (!isTest[j]) train.Add(all[j]);
        var pairs = train.ToArray();
        var isValidation = new bool[pairs.Length];
        AssignValidation(history, pairs, isValidation);
        return new[] { Build(history, pairs, isValidation, 0, "validation", candidates) };
    }

    private EvaluationFold Build(InteractionHistory history, int[] pairs, bool[] isTest, int index, string role, CandidatePolicy candidates)
    {
        var builder = new FoldBuilder(history);
        var users = history.PairUsers;
        var items = history.PairItems;
        var sums = history.PairSums;
        var times = history.PairTimes;
        var trainPairs = new List<int>();
        for (int j = 0; j < pairs.Length; j++)
        {
            int p = pairs[j];
            if (isTest[j]) builder.AddTest(users[p], items[p], history.Smooth(sums[p]), times[p]);
            else { builder.AddTrain(users[p], items[p], history.Smooth(sums[p]), times[p]); trainPairs.Add(p); }
        }
        // Train events of a pair protocol: one per train pair, time order (ties in pair order).
        var ordered = trainPairs.ToArray();
        var keys = new long[ordered.Length];
        for (int j = 0; j < ordered.Length; j++) keys[j] = times[ordered[j]];
        Array.Sort(keys, ordered); // unstable on ties: restore pair order below
        SortTiesByPair(keys, ordered);
        var eu = new int[ordered.Length]; var ei = new int[ordered.Length]; var es = new float[ordered.Length];
        for (int j = 0; j < ordered.Length; j++) { eu[j] = users[ordered[j]]; ei[j] = items[ordered[j]]; es[j] = (float)sums[ordered[j]]; }
        long? time = FoldTime(history, pairs, role == "validation");
        return builder.Build(index, role, time, null, candidates, new FoldEvents(eu, ei, keys, es, 0, ordered.Length));
    }

    private static void SortTiesByPair(long[] keys, int[] pairs)
    {
        int start = 0;
        for (int j = 1; j <= keys.Length; j++)
        {
            if (j < keys.Length && keys[j] == keys[start]) continue;
            if (j - start > 1) Array.Sort(pairs, start, j - start);
            start = j;
        }
    }

    private static int[] AllPairs(InteractionHistory history)
    {
        var all = new int[history.PairCount];
        for (int p = 0; p < all.Length; p++) all[p] = p;
        return all;
    }

    /// <summary>Groups positions of <paramref name="pairs"/> by user: the positions of user u, in pair order.</summary>
    protected static List<int>[] PositionsByUser(InteractionHistory history, ReadOnlySpan<int> pairs)
    {
        var byUser = new List<int>[history.Users.Count];
        var users = history.PairUsers;
        for (int j = 0; j < pairs.Length; j++) (byUser[users[pairs[j]]] ??= new List<int>()).Add(j);
        return byUser;
    }

    /// <summary>A generator seeded from the protocol seed and a user index (stable across .NET versions).</summary>
    protected static Random UserRandom(int seed, int user) => new(unchecked(seed * 1_000_003 + user * 7919 + 17));
}
