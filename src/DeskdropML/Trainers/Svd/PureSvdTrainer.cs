using DeskdropML.Sparse;

namespace DeskdropML.Trainers.Svd;

/// <summary>
/// PureSVD (Cremonesi, Koren and Turrin, RecSys 2010; the collaborative filter of the "Recommender Systems in Python
/// 101" notebook on this data): a rank-k truncated SVD of the users x items matrix, <c>X ≈ U_k Σ_k V_kᵀ</c>, whose
/// reconstruction ranks the items.
/// </summary>
/// <remarks>
/// <para><b>Scores.</b> <c>score(u, i) = (U_k Σ_k V_kᵀ)_ui</c>. For a user of the training matrix this equals
/// <c>x_u V_k V_kᵀ</c> (since <c>U_k Σ_k = X V_k</c>), which is how the model computes it — user factors
/// <c>x_u V_k Σ_k⁻¹</c> (= the rows of <c>U_k</c>), item factors <c>Σ_k v_i</c> — so that a new user is folded in with
/// the same formula (<see cref="PureSvdModel.FoldIn"/>). X holds the strengths as given (the notebook's matrix of
/// smoothed event strengths, zeros elsewhere), optionally time-decayed by the caller; the notebook's min-max rescaling
/// of all predictions is monotone and does not change rankings. Factors with σ below 10⁻⁹ σ₁ (X of lower rank) are
/// dropped (zero vectors).</para>
/// <para><b>Algorithm.</b> Randomized SVD with <see cref="Options.Oversampling"/> extra columns and
/// <see cref="Options.PowerIterations"/> power iterations from Gaussian draws seeded by <see cref="Options.Seed"/>
/// (see <c>RandomizedSvd</c>); cost about <c>(2q + 2) nnz(X) l + (m + n) l²</c> for <c>l = k + oversampling</c>, memory
/// <c>O((m + n) l)</c> doubles. With the default 7 power iterations the top singular vectors of matrices like Deskdrop's
/// agree with an exact SVD to working precision. Results depend on the seed only, not on
/// <see cref="Options.NumberOfThreads"/>.</para>
/// </remarks>
public sealed class PureSvdTrainer
{
    /// <summary>Options of <see cref="PureSvdTrainer"/>.</summary>
    public sealed class Options
    {
        /// <summary>Number of factors k (singular triplets kept). Default 15 (the notebook's); must be &gt;= 1 and at most min(users, items) at fit time.</summary>
        public int NumberOfFactors = 15;

        /// <summary>Extra random directions p of the range finder (l = k + p). Default 10; must be &gt;= 0.</summary>
        public int Oversampling = 10;

        /// <summary>Power iterations q. Default 7 (scikit-learn's choice for k well below the matrix size); must be &gt;= 0.</summary>
        public int PowerIterations = 7;

        /// <summary>Seed of the Gaussian test matrix. Default 42.</summary>
        public int Seed = 42;

        /// <summary>Worker threads for the sparse products. Default 1; must be &gt;= 1. Results do not depend on it.</summary>
        public int NumberOfThreads = 1;

        /// <summary>Name of the user id column (for the ML.NET estimator). Default "UserId".</summary>
        public string UserIdColumnName = "UserId";

        /// <summary>Name of the item id column (for the ML.NET estimator). Default "ItemId".</summary>
        public string ItemIdColumnName = "ItemId";

        /// <summary>
        /// Name of the float strength column read by the ML.NET estimator; <c>null</c> (default) gives every row
        /// strength 1. Duplicate (user, item) rows are summed.
        /// </summary>
        public string? LabelColumnName;

        internal Options Clone() => (Options)MemberwiseClone();

        /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid option.</summary>
        internal void Validate()
        {
            if (NumberOfFactors < 1)
                throw new ArgumentOutOfRangeException(nameof(NumberOfFactors), NumberOfFactors, "NumberOfFactors must be >= 1.");
            if (Oversampling < 0)
                throw new ArgumentOutOfRangeException(nameof(Oversampling), Oversampling, "Oversampling must be >= 0.");
            if (PowerIterations < 0)
                throw new ArgumentOutOfRangeException(nameof(PowerIterations), PowerIterations, "PowerIterations must be >= 0.");
            OptionChecks.ThreadsAndColumns(NumberOfThreads, UserIdColumnName, ItemIdColumnName);
        }
    }

    private readonly Options _options;

    /// <summary>Creates a trainer; the options are validated and copied.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (the exception names it).</exception>
    public PureSvdTrainer(Options? options = null)
    {
        _options = (options ?? new Options()).Clone();
        _options.Validate();
    }

    /// <summary>Decomposes a users x items matrix of strengths <c>r &gt;= 0</c> and returns the model.</summary>
    /// <param name="interactions">Users x items strengths X.</param>
    /// <param name="users">Row ids.</param>
    /// <param name="items">Column ids.</param>
    /// <exception cref="ArgumentException">The matrix does not match the maps, has no stored entry, holds a negative or
    /// non-finite value, or k exceeds min(users, items).</exception>
    /// <exception cref="Memory.MemoryBudgetException">The decomposition would not fit the memory budget (checked before allocating).</exception>
    public PureSvdModel Fit(CsrMatrix interactions, IdMap users, IdMap items)
    {
        TrainingInput.Validate(interactions, users, items, "PureSVD");
        int k = _options.NumberOfFactors;
        if (k > Math.Min(users.Count, items.Count))
            throw new ArgumentException($"NumberOfFactors is {k} but a {users.Count} x {items.Count} matrix has at most {Math.Min(users.Count, items.Count)} singular values.", nameof(interactions));
        // Dense m x l and n x l doubles (range, its column copy, products), the transpose of X, the model's factors.
        double l = Math.Min(k + (double)_options.Oversampling, Math.Min(users.Count, items.Count));
        Memory.MemoryBudget.Require($"PureSVD with {k:N0} factors (+{_options.Oversampling:N0} oversampling) for {users.Count:N0} users and {items.Count:N0} items",
            nameof(Options.NumberOfFactors), k, 8 * 4 * (users.Count + (double)items.Count) * l + 12.0 * interactions.NonZeroCount + 4.0 * (users.Count + items.Count) * k,
            Math.Max(users.Count, items.Count) * l);
        var (scaled, sigma) = RandomizedSvd.Compute(interactions, k, _options.Oversampling, _options.PowerIterations, _options.Seed, _options.NumberOfThreads);
        return PureSvdModel.FromDecomposition(users, items, interactions, scaled, sigma, _options.Clone());
    }
}
