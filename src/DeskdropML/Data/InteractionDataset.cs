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
    /// <remarks>
    /// Algorithm and memory model: the log's rows are grouped by user in ordinal order of the user ids with a
    /// counting sort of one 8-byte key per row, (ordinal item rank, file position), and the keys are sorted within each
    /// user, so each (user, item) pair is a run of consecutive keys in file order: its strength is summed in file order
    /// and its time is that of the run's last row. Pairs come out already in CSR order (users, then items, ordinal), so
    /// no hash of pairs and no sort of pairs is needed. Transient memory: 8 bytes per row plus 20 bytes per kept pair,
    /// on top of the log and the resulting matrices. O(rows + distinct ids · log distinct ids) time.
    /// </remarks>
    public static InteractionDataset Build(InteractionLog log, DatasetOptions options)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        int n = log.Count;
        var rowUser = log.UserOfRow;
        var rowItem = log.ItemOfRow;
        var rowTime = log.TimestampSpan;
        var rowStrength = log.StrengthSpan;
        int userCount = log.UserNames.Length;

        // 1. Ordinal ranks of the ids.
        var (userRank, usersByRank) = OrdinalRanks(log.UserNames);
        var (itemRank, itemsByRank) = OrdinalRanks(log.ItemNames);

        // 2. One key per row, (item rank << 32 | row), grouped by user rank with a counting sort (stable, so file order
        //    within a user), then sorted within each user: equal high halves are a pair's rows, in file order.
        var userStart = new int[userCount + 1];
        foreach (int u in rowUser) userStart[userRank[u] + 1]++;
        for (int u = 0; u < userCount; u++) userStart[u + 1] += userStart[u];
        var keys = new long[n];
        var next = userStart.AsSpan(0, userCount).ToArray();
        for (int r = 0; r < n; r++) keys[next[userRank[rowUser[r]]]++] = ((long)itemRank[rowItem[r]] << 32) | (uint)r;
        next = null;
        for (int u = 0; u < userCount; u++) keys.AsSpan(userStart[u], userStart[u + 1] - userStart[u]).Sort();

        // 3. Distinct items per user; keep users with enough; mark the items of their pairs.
        var keepUser = new bool[userCount];
        var keptItem = new bool[itemsByRank.Length];
        int usersKept = 0, keptPairs = 0;
        long rowsKept = 0;
        long tMin = long.MaxValue, tMax = long.MinValue;
        for (int u = 0; u < userCount; u++)
        {
            int end = userStart[u + 1], distinct = 0;
            for (int j = userStart[u]; j < end; j = RunEnd(keys, j, end)) distinct++;
            if (distinct < options.MinItemsPerUser) continue;
            keepUser[u] = true;
            usersKept++;
            keptPairs += distinct;
            rowsKept += end - userStart[u];
            for (int j = userStart[u]; j < end;)
            {
                int runEnd = RunEnd(keys, j, end);
                keptItem[ItemRank(keys[j])] = true;
                long t = rowTime[Row(keys[runEnd - 1])];
                tMin = Math.Min(tMin, t);
                tMax = Math.Max(tMax, t);
                j = runEnd;
            }
        }
        var keptUserNames = new List<string>(usersKept);
        for (int u = 0; u < userCount; u++) if (keepUser[u]) keptUserNames.Add(usersByRank[u]);
        var itemIndexOfRank = new int[itemsByRank.Length];
        var keptItemNames = new List<string>();
        for (int i = 0; i < itemsByRank.Length; i++)
        {
            itemIndexOfRank[i] = keptItem[i] ? keptItemNames.Count : -1;
            if (keptItem[i]) keptItemNames.Add(itemsByRank[i]);
        }
        var users = new IdMap(keptUserNames);
        var items = new IdMap(keptItemNames);

        long split = options.SplitTime ?? (keptPairs == 0 ? 0 : TimeSplit.AtFraction(tMin, tMax, 1 - options.TestFraction!.Value));

        // 4. Pairs in CSR order: summed strength in file order, time of the last row in file order.
        var pairUser = new int[keptPairs];
        var pairItem = new int[keptPairs];
        var pairValue = new float[keptPairs];
        var pairTime = new long[keptPairs];
        bool log2 = options.Smoothing == StrengthSmoothing.Log2OnePlus;
        int p = 0, keptIndex = 0;
        for (int u = 0; u < userCount; u++)
        {
            if (!keepUser[u]) continue;
            int end = userStart[u + 1];
            for (int j = userStart[u]; j < end;)
            {
                int runEnd = RunEnd(keys, j, end);
                double sum = 0;
                for (int k = j; k < runEnd; k++) sum += rowStrength[Row(keys[k])];
                pairUser[p] = keptIndex;
                pairItem[p] = itemIndexOfRank[ItemRank(keys[j])];
                pairValue[p] = log2 ? (float)Math.Log2(1 + sum) : (float)sum;
                pairTime[p] = rowTime[Row(keys[runEnd - 1])];
                p++;
                j = runEnd;
            }
            keptIndex++;
        }
        keys = null;

        // 5. Train (before the split) and test matrices.
        var (trainMatrix, trainTimes) = SplitPairs(pairUser, pairItem, pairValue, pairTime, split, train: true, users.Count, items.Count);
        var (testMatrix, testTimes) = SplitPairs(pairUser, pairItem, pairValue, pairTime, split, train: false, users.Count, items.Count);

        var summary = Summarize(trainMatrix, testMatrix) with
        {
            InteractionsRaw = n,
            UsersTotal = userCount,
            UsersKept = usersKept,
            InteractionsKept = rowsKept,
            Pairs = keptPairs,
            Items = items.Count,
            SplitTime = split,
        };
        return new InteractionDataset(users, items, trainMatrix, trainTimes, testMatrix, testTimes, summary);
    }

    /// <summary>The end of the run of keys with the same item rank that starts at <paramref name="j"/>.</summary>
    private static int RunEnd(long[] keys, int j, int end)
    {
        long item = keys[j] >> 32;
        int k = j + 1;
        while (k < end && keys[k] >> 32 == item) k++;
        return k;
    }

    private static int ItemRank(long key) => (int)(key >> 32);

    private static int Row(long key) => (int)(uint)key;

    /// <summary>Rank of each id in ordinal order (by first-seen index), and the ids in that order.</summary>
    private static (int[] RankOf, string[] ByRank) OrdinalRanks(ReadOnlySpan<string> names)
    {
        var byRank = names.ToArray();
        var index = new int[byRank.Length];
        for (int i = 0; i < index.Length; i++) index[i] = i;
        Array.Sort(byRank, index, StringComparer.Ordinal);
        var rank = new int[index.Length];
        for (int k = 0; k < index.Length; k++) rank[index[k]] = k;
        return (rank, byRank);
    }

    /// <summary>The pairs (in CSR order) on one side of the split as a matrix with aligned times.</summary>
    private static (CsrMatrix Matrix, long[] Times) SplitPairs(int[] pairUser, int[] pairItem, float[] pairValue, long[] pairTime,
        long split, bool train, int rows, int cols)
    {
        int count = 0;
        for (int p = 0; p < pairTime.Length; p++) if (pairTime[p] < split == train) count++;
        var pointers = new int[rows + 1];
        var indices = new int[count];
        var values = new float[count];
        var times = new long[count];
        int k = 0;
        for (int p = 0; p < pairTime.Length; p++)
        {
            if (pairTime[p] < split != train) continue;
            pointers[pairUser[p] + 1]++;
            indices[k] = pairItem[p];
            values[k] = pairValue[p];
            times[k] = pairTime[p];
            k++;
        }
        for (int r = 0; r < rows; r++) pointers[r + 1] += pointers[r];
        return (new CsrMatrix(rows, cols, pointers, indices, values), times);
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
