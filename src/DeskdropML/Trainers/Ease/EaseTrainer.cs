using System.Globalization;
using DeskdropML.Sparse;

namespace DeskdropML.Trainers.Ease;

/// <summary>
/// EASE, "Embarrassingly Shallow Autoencoders for Sparse Data" (Steck, WWW 2019): the item-item weight matrix B that
/// minimises <c>||X - X B||²_F + λ ||B||²_F</c> subject to <c>diag(B) = 0</c>, in closed form.
/// </summary>
/// <remarks>
/// <para><b>Solution.</b> With the Gram matrix <c>G = XᵀX</c> of the users x items training matrix X and
/// <c>P = (G + λI)⁻¹</c>, the minimiser is <c>B = I - P · diagMat(1 / diag(P))</c>, i.e. <c>B_ji = -P_ji / P_ii</c> for
/// <c>j ≠ i</c> and <c>B_ii = 0</c>. A user's scores are <c>x_u B</c>: <c>score(u, i) = Σ_j x_uj B_ji</c> (an
/// <see cref="Recommending.ItemItemModel"/> with S = B). X holds the strengths as given (binary data gives Steck's
/// setting); the history the model scores with may be time-decayed (<see cref="Fit"/>).</para>
/// <para><b>Cost — why there is a limit.</b> The solve is dense in the number of items n: the Gram matrix and its inverse
/// take <c>8 n²</c> bytes (3.2 GB at n = 20,000) and the learned B another <c>4 n²</c> bytes, and the Cholesky-based
/// inverse costs about <c>n³</c> floating-point operations (8·10¹² at 20,000: minutes on two cores). The trainer refuses
/// catalogues above <see cref="Options.MaxItems"/> (default 20,000) with a message saying so. Building G costs
/// <c>Σ_u n_u²/2</c> multiply-adds. Everything runs on <see cref="Options.NumberOfThreads"/> threads and the result is
/// bit-identical for every thread count.</para>
/// </remarks>
public sealed class EaseTrainer
{
    /// <summary>The largest n for which an n x n array has fewer than 2³¹ entries (a .NET array limit).</summary>
    public const int ItemLimit = 46340;

    /// <summary>Options of <see cref="EaseTrainer"/>.</summary>
    public sealed class Options
    {
        /// <summary>L2 regularization λ added to the diagonal of <c>XᵀX</c>. Default 500 (RecTools' default; Steck tunes it per data set); must be finite and &gt; 0.</summary>
        public float L2 = 500f;

        /// <summary>
        /// Largest catalogue the trainer accepts (see the remarks of <see cref="EaseTrainer"/> for the memory and time
        /// this means). Default 20,000; must be in [1, <see cref="ItemLimit"/>].
        /// </summary>
        public int MaxItems = 20000;

        /// <summary>Worker threads. Default 1; must be &gt;= 1. Results do not depend on it.</summary>
        public int NumberOfThreads = 1;

        /// <summary>Name of the user id column (for the ML.NET estimator). Default "UserId".</summary>
        public string UserIdColumnName = "UserId";

        /// <summary>Name of the item id column (for the ML.NET estimator). Default "ItemId".</summary>
        public string ItemIdColumnName = "ItemId";

        /// <summary>
        /// Name of the float strength column read by the ML.NET estimator; <c>null</c> (default) gives every row
        /// strength 1 (Steck's binary X). Duplicate (user, item) rows are summed.
        /// </summary>
        public string? LabelColumnName;

        internal Options Clone() => (Options)MemberwiseClone();

        /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid option.</summary>
        internal void Validate()
        {
            if (!float.IsFinite(L2) || L2 <= 0)
                throw new ArgumentOutOfRangeException(nameof(L2), L2, "L2 must be a finite number > 0.");
            if (MaxItems is < 1 or > ItemLimit)
                throw new ArgumentOutOfRangeException(nameof(MaxItems), MaxItems, $"MaxItems must be in [1, {ItemLimit}] (an n x n array must have fewer than 2^31 entries).");
            OptionChecks.ThreadsAndColumns(NumberOfThreads, UserIdColumnName, ItemIdColumnName);
        }
    }

    private readonly Options _options;

    /// <summary>Creates a trainer; the options are validated and copied.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (the exception names it).</exception>
    public EaseTrainer(Options? options = null)
    {
        _options = (options ?? new Options()).Clone();
        _options.Validate();
    }

    /// <summary>
    /// Throws <see cref="ArgumentException"/> when a catalogue of <paramref name="items"/> items exceeds
    /// <paramref name="maxItems"/>, with the memory and time a dense solve of that size would need.
    /// </summary>
    public static void EnsureCatalogFits(int items, int maxItems)
    {
        if (items <= maxItems) return;
        double n = items;
        throw new ArgumentException(string.Format(CultureInfo.InvariantCulture,
            "EASE solves a dense items x items system: {0:N0} items need {0:N0}² x 8 bytes = {1} for the inverse (plus {2} " +
            "for the weights) and about n³ = {3:0.0e0} floating-point operations; the limit is {4:N0} items (EaseTrainer.Options.MaxItems). " +
            "Raise the limit if the machine has the memory and time, or use item-kNN, which scales with the stored interactions.",
            items, Bytes(8 * n * n), Bytes(4 * n * n), n * n * n, maxItems), nameof(items));
    }

    private static string Bytes(double bytes) =>
        bytes >= 1e9 ? (bytes / 1e9).ToString("0.0 GB", CultureInfo.InvariantCulture) : (bytes / 1e6).ToString("0 MB", CultureInfo.InvariantCulture);

    /// <summary>Learns B from a users x items matrix of strengths <c>r &gt;= 0</c> and returns the model.</summary>
    /// <param name="interactions">Users x items strengths X.</param>
    /// <param name="users">Row ids.</param>
    /// <param name="items">Column ids.</param>
    /// <param name="history">Optional users x items weights the model scores with (e.g. X decayed by
    /// <see cref="Data.RecencyWeighting"/>); <c>null</c> (default) scores with X itself.</param>
    /// <exception cref="ArgumentException">A matrix does not match the maps, X has no stored entry or holds a negative or
    /// non-finite value, or the catalogue exceeds <see cref="Options.MaxItems"/>.</exception>
    /// <exception cref="Memory.MemoryBudgetException">The solve would not fit the memory budget (checked before allocating).</exception>
    /// <exception cref="InvalidOperationException"><c>XᵀX + λI</c> is not numerically positive definite (λ far too small
    /// for the scale of the strengths).</exception>
    public EaseModel Fit(CsrMatrix interactions, IdMap users, IdMap items, CsrMatrix? history = null)
    {
        TrainingInput.Validate(interactions, users, items, "EASE");
        EnsureCatalogFits(items.Count, _options.MaxItems);
        int n = items.Count, threads = _options.NumberOfThreads;
        // The n x n doubles of the solve, the n x n floats of B, the item-major copy of X for the Gram matrix.
        Memory.MemoryBudget.Require($"EASE for {n:N0} items", nameof(Options.MaxItems), _options.MaxItems,
            12.0 * n * n + 12.0 * interactions.NonZeroCount, (double)n * n);
        var a = new double[(long)n * n];
        LowerGram(interactions, a, n, threads);
        for (int i = 0; i < n; i++) a[(long)i * n + i] += _options.L2;
        try
        {
            SpdInverse.InvertLower(a, n, threads);
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException($"EASE: XᵀX + λI with λ = {_options.L2} is not numerically positive definite; raise L2. ({e.Message})", e);
        }
        var weights = new float[(long)n * n];
        Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = threads }, j =>
        {
            long row = (long)j * n;
            for (int i = 0; i < n; i++)
            {
                double pji = j >= i ? a[row + i] : a[(long)i * n + j];
                weights[row + i] = j == i ? 0f : (float)(-pji / a[(long)i * n + i]);
            }
        });
        return new EaseModel(users, items, history ?? interactions, weights, _options.Clone());
    }

    /// <summary>The lower triangle of <c>G = XᵀX</c>: <c>G_ij = Σ_u x_ui x_uj</c>, each row summed over users in index order.</summary>
    private static void LowerGram(CsrMatrix x, double[] g, int n, int threads)
    {
        var byItem = x.Transpose();
        Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = threads }, i =>
        {
            long row = (long)i * n;
            var usersOfI = byItem.RowIndices(i);
            var valuesOfI = byItem.RowValues(i);
            for (int q = 0; q < usersOfI.Length; q++)
            {
                double xi = valuesOfI[q];
                var itemsOfU = x.RowIndices(usersOfI[q]);
                var valuesOfU = x.RowValues(usersOfI[q]);
                for (int p = 0; p < itemsOfU.Length && itemsOfU[p] <= i; p++)
                    g[row + itemsOfU[p]] += xi * valuesOfU[p];
            }
        });
    }
}
