using DeskdropML.Sparse;

namespace DeskdropML.Trainers.Content;

/// <summary>
/// Trains the content recommender (<see cref="ContentModel"/>): each user's profile is the strength-weighted mean of
/// the L2-normalised text vectors of the user's training items.
/// </summary>
/// <remarks>
/// For user u with training items I_u and strengths w_ui, and item text vectors x_i (rows of the item x term
/// matrix, normalised here to x̂_i = x_i / ||x_i||; an item without text has x̂_i = 0):
/// <c>profile_u = Σ_{i∈I_u} w_ui x̂_i / Σ_{i∈I_u} w_ui</c>. Scores are cosines,
/// <c>score(u, i) = profile_u · x̂_i / ||profile_u||</c>, for every item of the catalogue, so an item with no
/// training interaction is ranked by its text alone. Training uses nothing else from the interactions (in
/// particular not whether an item has training interactions). Profiles of different users are computed
/// independently, so the result does not depend on <see cref="Options.NumberOfThreads"/>.
/// </remarks>
public sealed class ContentTrainer
{
    /// <summary>Options of <see cref="ContentTrainer"/>.</summary>
    public sealed class Options
    {
        /// <summary>
        /// Weight each training item by its stored interaction strength (true, default) or count every stored
        /// training item once (false).
        /// </summary>
        public bool UseInteractionStrength = true;

        /// <summary>
        /// Threads used to build the profiles; <c>null</c> (default) uses <see cref="Environment.ProcessorCount"/>,
        /// 1 runs on the calling thread. The profiles are identical for every value.
        /// </summary>
        public int? NumberOfThreads;
    }

    private readonly Options _options;

    /// <summary>Creates the trainer.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="Options.NumberOfThreads"/> is less than 1.</exception>
    public ContentTrainer(Options? options = null)
    {
        options ??= new Options();
        if (options.NumberOfThreads is int threads && threads < 1)
            throw new ArgumentOutOfRangeException(nameof(options), threads, "NumberOfThreads must be at least 1 (or null for all processors).");
        _options = new Options { UseInteractionStrength = options.UseInteractionStrength, NumberOfThreads = options.NumberOfThreads };
    }

    /// <summary>Builds the user profiles.</summary>
    /// <param name="interactions">User x item training interactions (stored value = strength, finite and >= 0).</param>
    /// <param name="users">Row ids of <paramref name="interactions"/>.</param>
    /// <param name="items">Column ids of <paramref name="interactions"/> and row ids of <paramref name="itemFeatures"/>.</param>
    /// <param name="itemFeatures">Item x term text features (e.g. <c>ItemTextFeatures.Matrix</c>); rows need not be
    /// normalised; an empty row is an item without text.</param>
    /// <exception cref="ArgumentException">Shapes disagree with the id maps, or a strength or feature value is
    /// negative (strengths) or not finite.</exception>
    public ContentModel Fit(CsrMatrix interactions, IdMap users, IdMap items, CsrMatrix itemFeatures)
    {
        ArgumentNullException.ThrowIfNull(interactions);
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(itemFeatures);
        if (interactions.Rows != users.Count || interactions.Columns != items.Count)
            throw new ArgumentException($"The interaction matrix is {interactions.Rows} x {interactions.Columns} but the maps have {users.Count} users and {items.Count} items.", nameof(interactions));
        if (itemFeatures.Rows != items.Count)
            throw new ArgumentException($"The item feature matrix has {itemFeatures.Rows} rows; it needs one per item ({items.Count}).", nameof(itemFeatures));
        foreach (float w in interactions.Values)
            if (!(w >= 0) || float.IsInfinity(w))
                throw new ArgumentException($"Interaction strengths must be finite and non-negative; found {w}.", nameof(interactions));
        foreach (float v in itemFeatures.Values)
            if (!float.IsFinite(v))
                throw new ArgumentException($"Item feature values must be finite; found {v}.", nameof(itemFeatures));

        var normalized = NormalizeRows(itemFeatures);
        int threads = _options.NumberOfThreads ?? Environment.ProcessorCount;
        var profileIndices = new int[users.Count][];
        var profileValues = new float[users.Count][];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = threads };
        if (threads == 1)
        {
            var accumulator = new ProfileAccumulator(normalized.Columns);
            for (int u = 0; u < users.Count; u++)
                (profileIndices[u], profileValues[u]) = accumulator.Build(interactions, u, normalized, _options.UseInteractionStrength);
        }
        else
        {
            Parallel.For(0, users.Count, parallel,
                () => new ProfileAccumulator(normalized.Columns),
                (u, _, accumulator) =>
                {
                    (profileIndices[u], profileValues[u]) = accumulator.Build(interactions, u, normalized, _options.UseInteractionStrength);
                    return accumulator;
                },
                _ => { });
        }

        var pointers = new int[users.Count + 1];
        for (int u = 0; u < users.Count; u++) pointers[u + 1] = pointers[u] + profileIndices[u].Length;
        var columns = new int[pointers[users.Count]];
        var values = new float[columns.Length];
        for (int u = 0; u < users.Count; u++)
        {
            profileIndices[u].CopyTo(columns, pointers[u]);
            profileValues[u].CopyTo(values, pointers[u]);
        }
        var profiles = new CsrMatrix(users.Count, normalized.Columns, pointers, columns, values);
        return new ContentModel(users, items, normalized, profiles);
    }

    /// <summary>Returns the matrix with every non-empty row divided by its L2 norm (empty or all-zero rows stay zero).</summary>
    internal static CsrMatrix NormalizeRows(CsrMatrix matrix)
    {
        var values = matrix.Values.ToArray();
        for (int r = 0; r < matrix.Rows; r++)
        {
            int start = matrix.RowPointers[r];
            var row = values.AsSpan(start, matrix.RowLength(r));
            double squares = 0;
            foreach (float v in row) squares += (double)v * v;
            if (squares > 0)
                System.Numerics.Tensors.TensorPrimitives.Multiply(row, (float)(1 / Math.Sqrt(squares)), row);
        }
        return new CsrMatrix(matrix.Rows, matrix.Columns, matrix.RowPointers.ToArray(), matrix.ColumnIndices.ToArray(), values);
    }

    /// <summary>A dense term accumulator reused for the users one thread handles.</summary>
    private sealed class ProfileAccumulator(int terms)
    {
        private readonly double[] _sums = new double[terms];
        private readonly bool[] _touched = new bool[terms];
        private readonly List<int> _touchedTerms = new();

        public (int[] Indices, float[] Values) Build(CsrMatrix interactions, int user, CsrMatrix normalizedItems, bool useStrength)
        {
            var items = interactions.RowIndices(user);
            var strengths = interactions.RowValues(user);
            double totalWeight = 0;
            for (int p = 0; p < items.Length; p++)
            {
                double w = useStrength ? strengths[p] : 1.0;
                totalWeight += w;
                if (w == 0) continue;
                var terms = normalizedItems.RowIndices(items[p]);
                var values = normalizedItems.RowValues(items[p]);
                for (int q = 0; q < terms.Length; q++)
                {
                    int t = terms[q];
                    if (!_touched[t])
                    {
                        _touched[t] = true;
                        _touchedTerms.Add(t);
                    }
                    _sums[t] += w * values[q];
                }
            }
            // Ascending term order: sort the touched list, or scan the flags when most terms were touched.
            int touchedCount = _touchedTerms.Count;
            bool scan = touchedCount > _sums.Length / 8;
            if (!scan) _touchedTerms.Sort();
            int count = 0;
            foreach (int t in _touchedTerms) if (_sums[t] != 0) count++;
            var outIndices = new int[count];
            var outValues = new float[count];
            int k = 0;
            if (scan)
            {
                for (int t = 0; t < _sums.Length; t++)
                    if (_touched[t]) Emit(t, outIndices, outValues, ref k, totalWeight);
            }
            else
            {
                foreach (int t in _touchedTerms) Emit(t, outIndices, outValues, ref k, totalWeight);
            }
            _touchedTerms.Clear();
            return (outIndices, outValues);
        }

        private void Emit(int t, int[] outIndices, float[] outValues, ref int k, double totalWeight)
        {
            if (_sums[t] != 0)
            {
                outIndices[k] = t;
                outValues[k] = (float)(_sums[t] / totalWeight);
                k++;
            }
            _sums[t] = 0;
            _touched[t] = false;
        }
    }
}
