using System.Diagnostics;
using DeskdropML.Recommending;
using DeskdropML.Sparse;

namespace DeskdropML.Trainers.Als;

/// <summary>
/// Alternating least squares for implicit feedback (Hu, Koren and Volinsky, "Collaborative Filtering for Implicit
/// Feedback Datasets", 2008), with an explicit-feedback variant.
/// </summary>
/// <remarks>
/// <para>The model scores <c>s_ui = x_u · y_i</c> with k-dimensional user factors <c>x_u</c> and item factors
/// <c>y_i</c>. For implicit feedback it minimises</para>
/// <code>
/// L = sum over all (u, i) of c_ui (p_ui - x_u · y_i)^2 + lambda (sum_u |x_u|^2 + sum_i |y_i|^2)
/// </code>
/// <para>with <c>p_ui = 1</c> for stored entries with strength <c>r_ui &gt; 0</c>, else 0, and the confidence
/// <c>c_ui</c> of <see cref="AlsConfidence"/>. For explicit feedback it minimises
/// <c>sum over stored (u, i) of (r_ui - x_u · y_i)^2 + lambda (sum_u |x_u|^2 + sum_i |y_i|^2)</c>.</para>
/// <para>Each iteration first re-solves every user with the item factors fixed, then every item with the user
/// factors fixed. A user's exact solution is <c>x_u = (Y^T C_u Y + lambda I)^-1 Y^T C_u p(u)</c>, computed as
/// <c>Y^T Y + Y^T (C_u - I) Y</c> with <c>Y^T Y</c> once per half-step and the correction only over the user's stored
/// entries (explicit: <c>(sum over stored y_i y_i^T + lambda I)^-1 sum over stored r_ui y_i</c>). The
/// <see cref="AlsSolver.Cholesky"/> solver forms that k x k matrix and solves it exactly; the default
/// <see cref="AlsSolver.ConjugateGradient"/> solver runs a few matrix-free conjugate-gradient steps warm-started at the
/// previous factors. Users or items without contributing entries get zero vectors (their exact solution).</para>
/// <para>Factors start as <c>0.01 * U[0, 1)</c> draws of <see cref="System.Random"/> seeded with
/// <see cref="Options.Seed"/> (users, then items), as <c>implicit</c> does. Rows are solved independently, so the
/// result is bit-identical for every <see cref="Options.NumberOfThreads"/> (on one machine: the SIMD width of the
/// kernels, AVX-512 or AVX2, changes the rounding).</para>
/// </remarks>
public sealed class AlsTrainer
{
    /// <summary>Options of <see cref="AlsTrainer"/>; the input columns of the ML.NET estimator are inherited from
    /// <see cref="InteractionColumnOptions"/> (the label is the strength r).</summary>
    public sealed class Options : InteractionColumnOptions
    {
        /// <summary>Number of latent factors k. Default 64; must be in [1, 4096].</summary>
        public int NumberOfFactors = 64;

        /// <summary>L2 regularization lambda applied to every user and item vector. Default 0.01; must be finite and &gt;= 0.</summary>
        public float Regularization = 0.01f;

        /// <summary>Confidence scale alpha (see <see cref="AlsConfidence"/>). Default 1; must be finite and &gt; 0.</summary>
        public float Alpha = 1f;

        /// <summary>How strengths become confidences. Default <see cref="AlsConfidence.OnePlusAlphaR"/> (the paper's <c>1 + alpha r</c>).</summary>
        public AlsConfidence Confidence = AlsConfidence.OnePlusAlphaR;

        /// <summary>Number of iterations (each a user and an item half-step). Default 15; must be &gt;= 1.</summary>
        public int NumberOfIterations = 15;

        /// <summary>Per-row solver. Default <see cref="AlsSolver.ConjugateGradient"/>.</summary>
        public AlsSolver Solver = AlsSolver.ConjugateGradient;

        /// <summary>Conjugate-gradient steps per row and half-step. Default 3; must be &gt;= 1.</summary>
        public int ConjugateGradientSteps = 3;

        /// <summary>Loss. Default <see cref="AlsFeedback.Implicit"/>.</summary>
        public AlsFeedback Feedback = AlsFeedback.Implicit;

        /// <summary>Re-weighting of the strengths before training. Default <see cref="AlsWeighting.None"/>; only with implicit feedback.</summary>
        public AlsWeighting Weighting = AlsWeighting.None;

        /// <summary>BM25 term-frequency saturation K1. Default 100 (as <c>implicit</c>'s examples); must be finite and &gt;= 0.</summary>
        public float Bm25K1 = 100f;

        /// <summary>BM25 length normalisation B. Default 0.8; must be in [0, 1].</summary>
        public float Bm25B = 0.8f;

        /// <summary>Worker threads for the per-row solves. Default 1; must be &gt;= 1. Results do not depend on it.</summary>
        public int NumberOfThreads = 1;

        /// <summary>Seed of the factor initialisation. Default 42.</summary>
        public int Seed = 42;

        internal Options Clone() => (Options)MemberwiseClone();

        internal AlsSolveSettings ToSolveSettings() =>
            new(NumberOfFactors, Regularization, Alpha, Confidence, Feedback, Solver, ConjugateGradientSteps);

        /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid option.</summary>
        internal void Validate()
        {
            if (NumberOfFactors is < 1 or > 4096)
                throw new ArgumentOutOfRangeException(nameof(NumberOfFactors), NumberOfFactors, "NumberOfFactors must be in [1, 4096].");
            if (!float.IsFinite(Regularization) || Regularization < 0)
                throw new ArgumentOutOfRangeException(nameof(Regularization), Regularization, "Regularization must be a finite number >= 0.");
            if (!float.IsFinite(Alpha) || Alpha <= 0)
                throw new ArgumentOutOfRangeException(nameof(Alpha), Alpha, "Alpha must be a finite number > 0.");
            if (!Enum.IsDefined(Confidence))
                throw new ArgumentOutOfRangeException(nameof(Confidence), Confidence, "Confidence must be OnePlusAlphaR or AlphaR.");
            if (NumberOfIterations < 1)
                throw new ArgumentOutOfRangeException(nameof(NumberOfIterations), NumberOfIterations, "NumberOfIterations must be >= 1.");
            if (!Enum.IsDefined(Solver))
                throw new ArgumentOutOfRangeException(nameof(Solver), Solver, "Solver must be ConjugateGradient or Cholesky.");
            if (ConjugateGradientSteps < 1)
                throw new ArgumentOutOfRangeException(nameof(ConjugateGradientSteps), ConjugateGradientSteps, "ConjugateGradientSteps must be >= 1.");
            if (!Enum.IsDefined(Feedback))
                throw new ArgumentOutOfRangeException(nameof(Feedback), Feedback, "Feedback must be Implicit or Explicit.");
            if (!Enum.IsDefined(Weighting))
                throw new ArgumentOutOfRangeException(nameof(Weighting), Weighting, "Weighting must be None, Bm25 or TfIdf.");
            if (Weighting != AlsWeighting.None && Feedback == AlsFeedback.Explicit)
                throw new ArgumentOutOfRangeException(nameof(Weighting), Weighting, "Weighting must be None with explicit feedback (re-weighted ratings are no longer ratings).");
            if (!float.IsFinite(Bm25K1) || Bm25K1 < 0)
                throw new ArgumentOutOfRangeException(nameof(Bm25K1), Bm25K1, "Bm25K1 must be a finite number >= 0.");
            if (!(Bm25B >= 0 && Bm25B <= 1))
                throw new ArgumentOutOfRangeException(nameof(Bm25B), Bm25B, "Bm25B must be in [0, 1].");
            if (NumberOfThreads < 1)
                throw new ArgumentOutOfRangeException(nameof(NumberOfThreads), NumberOfThreads, "NumberOfThreads must be >= 1.");
            ValidateColumns();
        }
    }

    private readonly Options _options;

    /// <summary>Creates a trainer; the options are validated and copied.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (the exception names it).</exception>
    public AlsTrainer(Options? options = null)
    {
        _options = (options ?? new Options()).Clone();
        _options.Validate();
    }

    /// <summary>
    /// Trains on a users x items matrix of strengths <c>r &gt;= 0</c> (row u = user index u of
    /// <paramref name="users"/>, column i = item index i of <paramref name="items"/>).
    /// </summary>
    /// <param name="interactions">Users x items strengths; stored entries are the observed interactions.</param>
    /// <param name="users">Row ids.</param>
    /// <param name="items">Column ids.</param>
    /// <param name="progress">Optional sink of one <see cref="AlsIterationInfo"/> per iteration; when given, the objective is
    /// evaluated after every iteration (outside the timed half-steps).</param>
    /// <exception cref="ArgumentException">The matrix does not match the maps, has no stored entry, or holds a negative or
    /// non-finite value.</exception>
    /// <exception cref="InvalidOperationException">The Cholesky solver met a normal matrix that is not numerically positive
    /// definite (possible only with Regularization 0).</exception>
    /// <exception cref="Memory.MemoryBudgetException">The model would not fit the memory budget (checked before allocating).</exception>
    public AlsModelParameters Fit(CsrMatrix interactions, IdMap users, IdMap items, IProgress<AlsIterationInfo>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(interactions);
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(items);
        if (interactions.Rows != users.Count || interactions.Columns != items.Count)
            throw new ArgumentException(
                $"The interaction matrix is {interactions.Rows} x {interactions.Columns} but there are {users.Count} users and {items.Count} items; rows must be users and columns items.",
                nameof(interactions));
        if (interactions.NonZeroCount == 0)
            throw new ArgumentException("The interaction matrix has no stored entry; ALS needs at least one interaction.", nameof(interactions));
        ReadOnlySpan<float> raw = interactions.Values;
        for (int p = 0; p < raw.Length; p++)
        {
            if (!float.IsFinite(raw[p]) || raw[p] < 0)
                throw new ArgumentException(
                    $"Stored entry {p} of the interaction matrix is {raw[p]}; strengths must be finite and >= 0.", nameof(interactions));
        }

        int k = _options.NumberOfFactors;
        int threads = _options.NumberOfThreads;
        AlsSolveSettings settings = _options.ToSolveSettings();
        var weighting = AlsMatrixWeighting.Learn(interactions, _options.Weighting, _options.Bm25K1, _options.Bm25B);
        CsrMatrix byUser = weighting.Apply(interactions);
        CsrMatrix byItem = byUser.Transpose();
        RequireMemory(byUser, byItem);

        var random = new Random(_options.Seed);
        float[] userFactors = RandomFactors(random, users.Count * k);
        float[] itemFactors = RandomFactors(random, items.Count * k);

        var stopwatch = new Stopwatch();
        for (int iteration = 1; iteration <= _options.NumberOfIterations; iteration++)
        {
            stopwatch.Restart();
            AlsHalfStep.Run(byUser, itemFactors, userFactors, settings, threads);
            AlsHalfStep.Run(byItem, userFactors, itemFactors, settings, threads);
            stopwatch.Stop();
            if (progress is not null)
            {
                double objective = AlsObjective.Compute(byUser, userFactors, itemFactors, settings);
                progress.Report(new AlsIterationInfo(iteration, stopwatch.Elapsed.TotalSeconds, objective));
            }
        }

        var hasInteractions = new bool[users.Count];
        for (int u = 0; u < hasInteractions.Length; u++) hasInteractions[u] = interactions.RowLength(u) > 0;
        return new AlsModelParameters(users, items, userFactors, itemFactors, hasInteractions, _options.Clone(), weighting.ItemLengthNorms);
    }

    /// <summary>
    /// Refuses a fit whose arrays would not fit the memory budget (<see cref="Memory.MemoryBudget"/>): the user and item
    /// factors and the model's copy of them, per worker a k x k matrix and the gathered factors of the longest row, and
    /// the per-chunk partial Gram matrices.
    /// </summary>
    private void RequireMemory(CsrMatrix byUser, CsrMatrix byItem)
    {
        double k = _options.NumberOfFactors;
        int longest = 0;
        for (int u = 0; u < byUser.Rows; u++) longest = Math.Max(longest, byUser.RowLength(u));
        for (int i = 0; i < byItem.Rows; i++) longest = Math.Max(longest, byItem.RowLength(i));
        double rows = Math.Max(byUser.Rows, byItem.Rows);
        double workers = Math.Min(_options.NumberOfThreads, Math.Ceiling(rows / 128));
        double floats = 2 * (byUser.Rows + (double)byItem.Rows) * k + workers * (k * k + 3 * k + longest * (k + 3)) + Math.Ceiling(rows / 2048) * k * k;
        Memory.MemoryBudget.Require($"ALS with {k:N0} factors for {byUser.Rows:N0} users and {byItem.Rows:N0} items",
            nameof(Options.NumberOfFactors), _options.NumberOfFactors, 4 * floats, Math.Max(rows, longest) * k);
    }

    private static float[] RandomFactors(Random random, int length)
    {
        var factors = new float[length];
        for (int i = 0; i < factors.Length; i++) factors[i] = random.NextSingle() * 0.01f;
        return factors;
    }
}
