using DeskdropML.Sparse;

namespace DeskdropML.Data;

/// <summary>
/// Train and test user x item matrices built from an interaction log by the notebook's rules.
/// </summary>
/// <remarks>
/// <list type="number">
/// <item>Users with fewer than <see cref="DatasetOptions.MinItemsPerUser"/> distinct items are dropped.</item>
/// <item>Rows of the kept users are grouped per (user, item): the pair's strength is the smoothed sum of its
/// row strengths (default <c>log2(1 + sum)</c>) and its timestamp is that of its <em>last row in file
/// order</em> (pandas <c>groupby().last()</c>), not the maximum.</item>
/// <item>A pair is train when its timestamp is strictly before the split time, test otherwise.</item>
/// <item>Both matrices span all kept users x all items of the kept pairs; users and items are indexed in
/// ordinal order of their id strings.</item>
/// </list>
/// </remarks>
public sealed class InteractionDataset
{
    private readonly long[] _trainTimestamps;
    private readonly long[] _testTimestamps;

    private InteractionDataset(IdMap users, IdMap items, CsrMatrix train, long[] trainTimes, CsrMatrix test, long[] testTimes, DatasetSummary summary)
    {
        Users = users;
        Items = items;
        Train = train;
        Test = test;
        _trainTimestamps = trainTimes;
        _testTimestamps = testTimes;
        Summary = summary;
    }

    /// <summary>Kept users, ordinal order.</summary>
    public IdMap Users { get; }

    /// <summary>Items of the kept pairs, ordinal order.</summary>
    public IdMap Items { get; }

    /// <summary>Train pairs (users x items, values = smoothed strengths).</summary>
    public CsrMatrix Train { get; }

    /// <summary>Test pairs (users x items, values = smoothed strengths).</summary>
    public CsrMatrix Test { get; }

    /// <summary>Timestamp of each stored train entry, aligned with <c>Train.Values</c>.</summary>
    public ReadOnlySpan<long> TrainTimestamps => _trainTimestamps;

    /// <summary>Timestamp of each stored test entry, aligned with <c>Test.Values</c>.</summary>
    public ReadOnlySpan<long> TestTimestamps => _testTimestamps;

    /// <summary>The counts of this dataset.</summary>
    public DatasetSummary Summary { get; }

    /// <summary>Builds the dataset from a log.</summary>
    public static InteractionDataset Build(InteractionLog log, DatasetOptions options)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        int n = log.Count;

        // 1. Provisional dense ids in first-seen order.
        var userIds = new Dictionary<string, int>(StringComparer.Ordinal);
        var itemIds = new Dictionary<string, int>(StringComparer.Ordinal);
        var userNames = new List<string>();
        var itemNames = new List<string>();
        var rowUser = new int[n];
        var rowItem = new int[n];
        for (int r = 0; r < n; r++)
        {
            rowUser[r] = IdOf(userIds, userNames, log.Users[r]);
            rowItem[r] = IdOf(itemIds, itemNames, log.Items[r]);
        }

        // 2. Pairs: summed strength, timestamp of the last row in file order, distinct items per user.
        var pairOf = new Dictionary<long, int>();
        var pairUser = new List<int>();
        var pairItem = new List<int>();
        var pairSum = new List<double>();
        var pairTime = new List<long>();
        var rowPair = new int[n];
        var itemsPerUser = new int[userNames.Count];
        for (int r = 0; r < n; r++)
        {
            long key = ((long)rowUser[r] << 32) | (uint)rowItem[r];
            if (!pairOf.TryGetValue(key, out int p))
            {
                p = pairUser.Count;
                pairOf.Add(key, p);
                pairUser.Add(rowUser[r]);
                pairItem.Add(rowItem[r]);
                pairSum.Add(0);
                pairTime.Add(0);
                itemsPerUser[rowUser[r]]++;
            }
            rowPair[r] = p;
            pairSum[p] += log.Strengths[r];
            pairTime[p] = log.Timestamps[r];
        }

        // 3. Keep users with enough distinct items.
        var keepUser = new bool[userNames.Count];
        int usersKept = 0;
        for (int u = 0; u < keepUser.Length; u++)
            if (itemsPerUser[u] >= options.MinItemsPerUser) { keepUser[u] = true; usersKept++; }
        long rowsKept = 0;
        for (int r = 0; r < n; r++) if (keepUser[rowUser[r]]) rowsKept++;

        // 4. Maps over kept users and the items of their pairs, ordinal order.
        var keptItem = new bool[itemNames.Count];
        long tMin = long.MaxValue, tMax = long.MinValue;
        int keptPairs = 0;
        for (int p = 0; p < pairUser.Count; p++)
        {
            if (!keepUser[pairUser[p]]) continue;
            keptItem[pairItem[p]] = true;
            keptPairs++;
            tMin = Math.Min(tMin, pairTime[p]);
            tMax = Math.Max(tMax, pairTime[p]);
        }
        var users = new IdMap(SortedNames(userNames, keepUser));
        var items = new IdMap(SortedNames(itemNames, keptItem));
        var userIndex = Reindex(userNames, keepUser, users);
        var itemIndex = Reindex(itemNames, keptItem, items);

        long split = options.SplitTime ?? (keptPairs == 0 ? 0 : TimeSplit.AtFraction(tMin, tMax, 1 - options.TestFraction!.Value));

        // 5. Triplets for train and test.
        var train = new PairBuffer();
        var test = new PairBuffer();
        for (int p = 0; p < pairUser.Count; p++)
        {
            if (!keepUser[pairUser[p]]) continue;
            double sum = pairSum[p];
            float strength = options.Smoothing == StrengthSmoothing.Log2OnePlus ? (float)Math.Log2(1 + sum) : (float)sum;
            var target = pairTime[p] < split ? train : test;
            target.Add(userIndex[pairUser[p]], itemIndex[pairItem[p]], strength, pairTime[p]);
        }
        var (trainMatrix, trainTimes) = train.ToCsr(users.Count, items.Count);
        var (testMatrix, testTimes) = test.ToCsr(users.Count, items.Count);

        var summary = Summarize(trainMatrix, testMatrix) with
        {
            InteractionsRaw = n,
            UsersTotal = userNames.Count,
            UsersKept = usersKept,
            InteractionsKept = rowsKept,
            Pairs = keptPairs,
            Items = items.Count,
            SplitTime = split,
        };
        return new InteractionDataset(users, items, trainMatrix, trainTimes, testMatrix, testTimes, summary);
    }

    /// <summary>
    /// Carves a validation split out of the train pairs by time, for honest tuning: with the train pairs'
    /// timestamps spanning [tmin, tmax], pairs before <c>tmin + (1 - fraction)(tmax - tmin)</c> become the new
    /// train and the rest the new test (the validation set). The test split of this dataset is not used.
    /// Users and items keep their indices.
    /// </summary>
    public InteractionDataset CarveValidation(double fraction = 0.2)
    {
        if (!(fraction > 0 && fraction < 1))
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "The validation fraction must be in (0, 1).");
        if (Train.NonZeroCount == 0)
            throw new InvalidOperationException("The dataset has no train pairs to carve a validation split from.");
        long tMin = long.MaxValue, tMax = long.MinValue;
        foreach (long t in _trainTimestamps) { tMin = Math.Min(tMin, t); tMax = Math.Max(tMax, t); }
        long split = TimeSplit.AtFraction(tMin, tMax, 1 - fraction);
        var train = new PairBuffer();
        var validation = new PairBuffer();
        for (int u = 0; u < Train.Rows; u++)
        {
            var cols = Train.RowIndices(u);
            var vals = Train.RowValues(u);
            int start = Train.RowPointers[u];
            for (int j = 0; j < cols.Length; j++)
            {
                long t = _trainTimestamps[start + j];
                (t < split ? train : validation).Add(u, cols[j], vals[j], t);
            }
        }
        var (trainMatrix, trainTimes) = train.ToCsr(Users.Count, Items.Count);
        var (validMatrix, validTimes) = validation.ToCsr(Users.Count, Items.Count);
        var summary = Summarize(trainMatrix, validMatrix) with
        {
            InteractionsRaw = Summary.InteractionsRaw,
            UsersTotal = Summary.UsersTotal,
            UsersKept = Summary.UsersKept,
            InteractionsKept = Summary.InteractionsKept,
            Pairs = Train.NonZeroCount,
            Items = Items.Count,
            SplitTime = split,
        };
        return new InteractionDataset(Users, Items, trainMatrix, trainTimes, validMatrix, validTimes, summary);
    }

    /// <summary>
    /// A dataset over given maps from collected train and test entries (the evaluation protocols' folds). The
    /// summary's raw counts come from <paramref name="counts"/>; the train/test counts are computed.
    /// </summary>
    internal static InteractionDataset Create(IdMap users, IdMap items, PairBuffer train, PairBuffer test, DatasetSummary counts)
    {
        var (trainMatrix, trainTimes) = train.ToCsr(users.Count, items.Count);
        var (testMatrix, testTimes) = test.ToCsr(users.Count, items.Count);
        var summary = Summarize(trainMatrix, testMatrix) with
        {
            InteractionsRaw = counts.InteractionsRaw,
            UsersTotal = counts.UsersTotal,
            UsersKept = counts.UsersKept,
            InteractionsKept = counts.InteractionsKept,
            Pairs = counts.Pairs,
            Items = items.Count,
            SplitTime = counts.SplitTime,
        };
        return new InteractionDataset(users, items, trainMatrix, trainTimes, testMatrix, testTimes, summary);
    }

    private static DatasetSummary Summarize(CsrMatrix train, CsrMatrix test)
    {
        var itemHasTrain = new bool[train.Columns];
        foreach (int c in train.ColumnIndices) itemHasTrain[c] = true;
        int testUsers = 0, coldUsers = 0, coldItemPairs = 0;
        for (int u = 0; u < test.Rows; u++)
        {
            if (test.RowLength(u) == 0) continue;
            testUsers++;
            if (train.RowLength(u) == 0) coldUsers++;
        }
        foreach (int c in test.ColumnIndices) if (!itemHasTrain[c]) coldItemPairs++;
        return new DatasetSummary
        {
            TrainPairs = train.NonZeroCount,
            TestPairs = test.NonZeroCount,
            TestUsers = testUsers,
            ColdTestUsers = coldUsers,
            TestPairsOnItemsWithoutTrain = coldItemPairs,
        };
    }

    private static int IdOf(Dictionary<string, int> ids, List<string> names, string id)
    {
        if (!ids.TryGetValue(id, out int i))
        {
            i = names.Count;
            ids.Add(id, i);
            names.Add(id);
        }
        return i;
    }

    private static string[] SortedNames(List<string> names, bool[] keep)
    {
        var kept = new List<string>();
        for (int i = 0; i < names.Count; i++) if (keep[i]) kept.Add(names[i]);
        var array = kept.ToArray();
        Array.Sort(array, StringComparer.Ordinal);
        return array;
    }

    private static int[] Reindex(List<string> names, bool[] keep, IdMap map)
    {
        var index = new int[names.Count];
        for (int i = 0; i < names.Count; i++) index[i] = keep[i] ? map.IndexOf(names[i]) : -1;
        return index;
    }

    /// <summary>Collects (row, column, value, time) entries and turns them into a CSR matrix with aligned times.</summary>
    internal sealed class PairBuffer
    {
        private readonly List<(int Row, int Col, float Value, long Time)> _entries = new();

        public int Count => _entries.Count;

        public void Add(int row, int col, float value, long time) => _entries.Add((row, col, value, time));

        public (CsrMatrix Matrix, long[] Times) ToCsr(int rows, int cols)
        {
            _entries.Sort(static (a, b) => a.Row != b.Row ? a.Row.CompareTo(b.Row) : a.Col.CompareTo(b.Col));
            var pointers = new int[rows + 1];
            var indices = new int[_entries.Count];
            var values = new float[_entries.Count];
            var times = new long[_entries.Count];
            for (int k = 0; k < _entries.Count; k++)
            {
                var e = _entries[k];
                pointers[e.Row + 1]++;
                indices[k] = e.Col;
                values[k] = e.Value;
                times[k] = e.Time;
            }
            for (int r = 0; r < rows; r++) pointers[r + 1] += pointers[r];
            return (new CsrMatrix(rows, cols, pointers, indices, values), times);
        }
    }
}
