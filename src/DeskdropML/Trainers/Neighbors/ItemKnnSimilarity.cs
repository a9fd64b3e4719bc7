using DeskdropML.Sparse;

namespace DeskdropML.Trainers.Neighbors;

/// <summary>
/// The sparse, multithreaded all-pairs computation behind <see cref="ItemKnnTrainer"/>: weights the strengths
/// (<see cref="ItemKnnWeighting"/>), then for every item i forms row i of <c>S = Wᵀ W</c> from the users of i and
/// keeps its <c>K</c> largest entries.
/// </summary>
/// <remarks>
/// <para><b>Algorithm.</b> For item i, every user u of column i contributes <c>w_ui w_uj</c> to the accumulator of each
/// item j in row u (a sparse row-times-matrix product); the items touched (always including i itself, whose self
/// similarity is kept as <c>implicit</c> keeps it) compete for the K slots. Work is <c>Σ_u n_u²</c> multiply-adds.</para>
/// <para><b>Memory.</b> Besides the input: the weights and structure user-major and item-major (about 28 bytes per
/// stored entry), per thread one double accumulator, one mark and one touched list of <c>I</c> entries (13 I bytes),
/// and the result, at most <c>K I</c> (index, value) pairs (8 K I bytes). No item x item matrix is ever dense.</para>
/// <para><b>Determinism.</b> Each row's sums run over the item's users in increasing index order in double precision
/// and each row is written by one thread, so the result does not depend on the number of threads. Selection order:
/// larger similarity first, ties to the lower item index.</para>
/// </remarks>
internal static class ItemKnnSimilarity
{
    /// <summary>The weights <c>w_ui</c>, aligned with the stored entries of <paramref name="r"/> (user-major).</summary>
    public static double[] Weights(CsrMatrix r, ItemKnnWeighting kind, double k1, double b)
    {
        int itemCount = r.Columns;
        ReadOnlySpan<int> columns = r.ColumnIndices;
        ReadOnlySpan<float> values = r.Values;
        var w = new double[values.Length];
        var idf = new double[r.Rows];
        for (int u = 0; u < r.Rows; u++) idf[u] = Math.Log(itemCount) - Math.Log(1.0 + r.RowLength(u));
        ReadOnlySpan<int> pointers = r.RowPointers;

        if (kind == ItemKnnWeighting.Bm25)
        {
            var total = new double[itemCount];
            for (int p = 0; p < values.Length; p++) total[columns[p]] += values[p];
            double mean = 0;
            foreach (double c in total) mean += c;
            mean = itemCount == 0 ? 0 : mean / itemCount;
            for (int u = 0; u < r.Rows; u++)
            {
                for (int p = pointers[u]; p < pointers[u + 1]; p++)
                {
                    double x = values[p];
                    double lengthNorm = (1 - b) + (mean > 0 ? b * total[columns[p]] / mean : 0);
                    double denominator = k1 * lengthNorm + x;
                    w[p] = denominator == 0 ? 0 : x * (k1 + 1) / denominator * idf[u];
                }
            }
            return w;
        }

        for (int u = 0; u < r.Rows; u++)
            for (int p = pointers[u]; p < pointers[u + 1]; p++)
                w[p] = kind == ItemKnnWeighting.TfIdf ? Math.Sqrt(values[p]) * idf[u] : values[p];
        var squares = new double[itemCount];
        for (int p = 0; p < w.Length; p++) squares[columns[p]] += w[p] * w[p];
        for (int p = 0; p < w.Length; p++)
        {
            double norm = Math.Sqrt(squares[columns[p]]);
            w[p] = norm > 0 ? w[p] / norm : 0;
        }
        return w;
    }

    /// <summary>
    /// Row i of the result holds the (at most) <paramref name="k"/> largest entries of row i of <c>Wᵀ W</c> among the
    /// items co-occurring with i, as an items x items CSR matrix (columns sorted).
    /// </summary>
    /// <param name="r">The users x items structure (stored entries).</param>
    /// <param name="w">The weights aligned with <paramref name="r"/>'s stored entries.</param>
    /// <param name="k">Neighbours kept per item.</param>
    /// <param name="threads">Worker threads.</param>
    public static CsrMatrix TopNeighbors(CsrMatrix r, double[] w, int k, int threads)
    {
        int itemCount = r.Columns, userCount = r.Rows, nnz = r.NonZeroCount;
        k = Math.Max(1, Math.Min(k, itemCount)); // a row cannot hold more neighbours than there are items
        // Item-major copy of the structure and weights (users ascending within an item).
        var itemPointers = new int[itemCount + 1];
        ReadOnlySpan<int> columns = r.ColumnIndices;
        foreach (int c in columns) itemPointers[c + 1]++;
        for (int i = 0; i < itemCount; i++) itemPointers[i + 1] += itemPointers[i];
        var next = itemPointers[..^1];
        var itemUsers = new int[nnz];
        var itemWeights = new double[nnz];
        ReadOnlySpan<int> userPointers = r.RowPointers;
        for (int u = 0; u < userCount; u++)
        {
            for (int p = userPointers[u]; p < userPointers[u + 1]; p++)
            {
                int dst = next[columns[p]]++;
                itemUsers[dst] = u;
                itemWeights[dst] = w[p];
            }
        }

        var neighborIndex = new int[(long)itemCount * k];
        var neighborValue = new float[(long)itemCount * k];
        var counts = new int[itemCount];
        int nextItem = 0;
        const int Chunk = 16;
        var rowPointers = r.RowPointers.ToArray();
        var rowColumns = r.ColumnIndices.ToArray();

        void Work()
        {
            var sums = new double[itemCount];
            var touchedMark = new bool[itemCount];
            var touched = new int[itemCount];
            var heap = new NeighborHeap(k);
            int start;
            while ((start = Interlocked.Add(ref nextItem, Chunk) - Chunk) < itemCount)
            {
                int end = Math.Min(start + Chunk, itemCount);
                for (int i = start; i < end; i++)
                {
                    int touchedCount = 0;
                    for (int q = itemPointers[i]; q < itemPointers[i + 1]; q++)
                    {
                        int u = itemUsers[q];
                        double wi = itemWeights[q];
                        for (int p = rowPointers[u]; p < rowPointers[u + 1]; p++)
                        {
                            int j = rowColumns[p];
                            sums[j] += wi * w[p];
                            if (!touchedMark[j]) { touchedMark[j] = true; touched[touchedCount++] = j; }
                        }
                    }
                    heap.Clear();
                    for (int t = 0; t < touchedCount; t++)
                    {
                        int j = touched[t];
                        heap.Offer(j, sums[j]);
                        sums[j] = 0;
                        touchedMark[j] = false;
                    }
                    counts[i] = heap.CopySortedByIndex(neighborIndex.AsSpan(i * k, k), neighborValue.AsSpan(i * k, k));
                }
            }
        }

        if (threads <= 1 || itemCount <= Chunk) Work();
        else
        {
            var tasks = new Task[Math.Min(threads, (itemCount + Chunk - 1) / Chunk)];
            for (int t = 0; t < tasks.Length; t++) tasks[t] = Task.Factory.StartNew(Work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            Task.WaitAll(tasks);
        }

        var pointers = new int[itemCount + 1];
        for (int i = 0; i < itemCount; i++) pointers[i + 1] = pointers[i] + counts[i];
        var indices = new int[pointers[itemCount]];
        var similarities = new float[pointers[itemCount]];
        for (int i = 0; i < itemCount; i++)
        {
            neighborIndex.AsSpan(i * k, counts[i]).CopyTo(indices.AsSpan(pointers[i]));
            neighborValue.AsSpan(i * k, counts[i]).CopyTo(similarities.AsSpan(pointers[i]));
        }
        return new CsrMatrix(itemCount, itemCount, pointers, indices, similarities);
    }

    /// <summary>
    /// A min-heap of the best K (item, similarity) pairs seen: the root is the worst kept pair (smallest similarity,
    /// ties: larger index), so a new pair enters only when it is better than the root.
    /// </summary>
    private sealed class NeighborHeap(int capacity)
    {
        private readonly int[] _index = new int[capacity];
        private readonly double[] _value = new double[capacity];
        private int _size;

        public void Clear() => _size = 0;

        /// <summary>True when (i, a) ranks below (j, b): smaller value, or equal value and larger index.</summary>
        private static bool Worse(int i, double a, int j, double b) => a < b || (a == b && i > j);

        public void Offer(int item, double value)
        {
            if (_size < capacity)
            {
                int c = _size++;
                while (c > 0)
                {
                    int parent = (c - 1) / 2;
                    if (!Worse(item, value, _index[parent], _value[parent])) break;
                    _index[c] = _index[parent];
                    _value[c] = _value[parent];
                    c = parent;
                }
                _index[c] = item;
                _value[c] = value;
                return;
            }
            if (!Worse(_index[0], _value[0], item, value)) return;
            int at = 0;
            while (true)
            {
                int left = 2 * at + 1;
                if (left >= _size) break;
                int child = left + 1 < _size && Worse(_index[left + 1], _value[left + 1], _index[left], _value[left]) ? left + 1 : left;
                if (!Worse(_index[child], _value[child], item, value)) break;
                _index[at] = _index[child];
                _value[at] = _value[child];
                at = child;
            }
            _index[at] = item;
            _value[at] = value;
        }

        /// <summary>Writes the kept pairs ordered by item index (CSR order) and returns how many.</summary>
        public int CopySortedByIndex(Span<int> indices, Span<float> values)
        {
            var keys = indices[.._size];
            _index.AsSpan(0, _size).CopyTo(keys);
            Span<double> sorted = _value.AsSpan(0, _size);
            keys.Sort(sorted);
            for (int n = 0; n < _size; n++) values[n] = (float)sorted[n];
            return _size;
        }
    }
}
