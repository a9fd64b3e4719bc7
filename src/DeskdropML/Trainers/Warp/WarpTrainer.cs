using System.Diagnostics;
using DeskdropML.Recommending;
using DeskdropML.Sparse;

namespace DeskdropML.Trainers.Warp;

/// <summary>
/// Trains the hybrid factorization model of LightFM (<see cref="WarpModelParameters"/>) on implicit feedback with
/// the WARP, BPR, logistic or k-OS WARP loss, by per-sample stochastic gradient steps with Adagrad or Adadelta.
/// </summary>
/// <remarks>
/// <para>Each epoch shuffles the samples (stored (user, item) entries; users for k-OS) with a generator fixed by
/// (<see cref="Options.Seed"/>, epoch number) and takes one step per sample (see <see cref="WarpLoss"/>). With
/// <see cref="Options.NumberOfThreads"/> = 1 a fit is bit-reproducible; with more threads the shuffled samples are
/// split into contiguous chunks processed in parallel without locks (Hogwild), which is fast but not
/// bit-reproducible.</para>
/// <para>Stored entries are positives; their values are sample weights (LightFM's sample_weight). For the
/// logistic loss a negative value marks an explicit negative with weight |value|. A stored entry is never used
/// as a sampled negative of its user, whatever its value.</para>
/// <para>Feature rows are used as given (not normalised); with identity features on, a row is
/// <c>[identity 1, side features...]</c>.</para>
/// </remarks>
public sealed class WarpTrainer
{
    /// <summary>Options of <see cref="WarpTrainer"/>; the input columns of the ML.NET estimator are inherited from
    /// <see cref="InteractionColumnOptions"/> (the label is LightFM's <c>sample_weight</c>).</summary>
    public sealed class Options : InteractionColumnOptions
    {
        /// <summary>Number of latent components d of every feature embedding. Default 10.</summary>
        public int NumberOfComponents = 10;

        /// <summary>The loss. Default <see cref="WarpLoss.Warp"/>.</summary>
        public WarpLoss Loss = WarpLoss.Warp;

        /// <summary>Per-parameter learning-rate schedule. Default <see cref="WarpLearningSchedule.Adagrad"/>.</summary>
        public WarpLearningSchedule LearningSchedule = WarpLearningSchedule.Adagrad;

        /// <summary>Initial learning rate η of Adagrad (<c>θ ← θ - η g / √G</c>). Default 0.05.</summary>
        public float LearningRate = 0.05f;

        /// <summary>Adadelta decay ρ, in (0, 1). Default 0.95.</summary>
        public float Rho = 0.95f;

        /// <summary>Adadelta ε (&gt; 0). Default 1e-6.</summary>
        public float Epsilon = 1e-6f;

        /// <summary>
        /// L2 penalty α_user on user feature parameters (≥ 0), applied to the parameters each sample touches:
        /// after a step with local rate η_local, <c>θ ← θ · max(0, 1 - η_local α)</c> (sparse L2; LightFM decays all
        /// parameters after every sample, so its alpha values are not directly comparable). Default 0.
        /// </summary>
        public float UserAlpha;

        /// <summary>L2 penalty α_item on item feature parameters (≥ 0), applied like <see cref="UserAlpha"/>. Default 0.</summary>
        public float ItemAlpha;

        /// <summary>Maximum number of negatives drawn per positive by WARP / k-OS (and tries to find a non-positive
        /// negative for BPR). At least 1. Default 10.</summary>
        public int MaxSampled = 10;

        /// <summary>k-OS WARP: the rank K (1-based) of the positive used, among the N sampled. Default 5.</summary>
        public int K = 5;

        /// <summary>k-OS WARP: number N of positives sampled per user (≥ K). Default 10.</summary>
        public int N = 10;

        /// <summary>Which items negatives are drawn from. Default <see cref="WarpNegativeSampling.AllItems"/> (LightFM).</summary>
        public WarpNegativeSampling NegativeSampling = WarpNegativeSampling.AllItems;

        /// <summary>Number of passes over the training samples (≥ 1). Default 30.</summary>
        public int NumberOfEpochs = 30;

        /// <summary>Training threads (≥ 1). 1 (default) is deterministic; more use lock-free Hogwild updates.</summary>
        public int NumberOfThreads = 1;

        /// <summary>Seed of the initialisation, the per-epoch shuffles and the negative sampling. Default 42.</summary>
        public int Seed = 42;

        /// <summary>Give every user an identity feature (its own embedding and bias). Default true.</summary>
        public bool UseUserIdentityFeatures = true;

        /// <summary>Give every item an identity feature (its own embedding and bias). Default true.</summary>
        public bool UseItemIdentityFeatures = true;
    }

    private readonly Options _options;

    /// <summary>Creates a trainer after validating <paramref name="options"/> (default options when null).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is outside its allowed range (the message names it).</exception>
    public WarpTrainer(Options? options = null)
    {
        options ??= new Options();
        Require(options.NumberOfComponents > 0, nameof(Options.NumberOfComponents), options.NumberOfComponents, "must be > 0");
        Require(Enum.IsDefined(options.Loss), nameof(Options.Loss), options.Loss, "must be a defined WarpLoss");
        Require(Enum.IsDefined(options.LearningSchedule), nameof(Options.LearningSchedule), options.LearningSchedule, "must be a defined WarpLearningSchedule");
        Require(options.LearningRate > 0 && float.IsFinite(options.LearningRate), nameof(Options.LearningRate), options.LearningRate, "must be a finite number > 0");
        Require(options.Rho > 0 && options.Rho < 1, nameof(Options.Rho), options.Rho, "must be in (0, 1)");
        Require(options.Epsilon > 0 && float.IsFinite(options.Epsilon), nameof(Options.Epsilon), options.Epsilon, "must be a finite number > 0");
        Require(options.UserAlpha >= 0 && float.IsFinite(options.UserAlpha), nameof(Options.UserAlpha), options.UserAlpha, "must be a finite number >= 0");
        Require(options.ItemAlpha >= 0 && float.IsFinite(options.ItemAlpha), nameof(Options.ItemAlpha), options.ItemAlpha, "must be a finite number >= 0");
        Require(Enum.IsDefined(options.NegativeSampling), nameof(Options.NegativeSampling), options.NegativeSampling, "must be a defined WarpNegativeSampling");
        Require(options.MaxSampled >= 1, nameof(Options.MaxSampled), options.MaxSampled, "must be >= 1");
        Require(options.K >= 1, nameof(Options.K), options.K, "must be >= 1");
        Require(options.N >= options.K, nameof(Options.N), options.N, $"must be >= K ({options.K})");
        Require(options.NumberOfEpochs >= 1, nameof(Options.NumberOfEpochs), options.NumberOfEpochs, "must be >= 1");
        Require(options.NumberOfThreads >= 1, nameof(Options.NumberOfThreads), options.NumberOfThreads, "must be >= 1");
        options.ValidateColumns();
        _options = options;
    }

    /// <summary>The validated options (do not modify them after construction).</summary>
    public Options TrainerOptions => _options;

    private static void Require(bool ok, string name, object? value, string rule)
    {
        if (!ok) throw new ArgumentOutOfRangeException(name, value, $"{name} {rule}; got {value}.");
    }

    /// <summary>
    /// Trains a new model for <see cref="Options.NumberOfEpochs"/> epochs.
    /// </summary>
    /// <param name="interactions">Users x items; stored entries are the training positives and their values the
    /// sample weights (finite, ≥ 0; for the logistic loss negative values mark explicit negatives).</param>
    /// <param name="users">Row ids of <paramref name="interactions"/> (and of <paramref name="userFeatures"/>).</param>
    /// <param name="items">Column ids of <paramref name="interactions"/> (and rows of <paramref name="itemFeatures"/>).</param>
    /// <param name="userFeatures">Optional users x user side features (finite values).</param>
    /// <param name="itemFeatures">Optional items x item side features (finite values).</param>
    /// <param name="progress">Receives one report per finished epoch.</param>
    /// <exception cref="ArgumentException">Empty interactions, mismatched shapes, invalid values, or a side without
    /// any feature (identity off and no side features).</exception>
    /// <exception cref="InvalidOperationException">Training diverged (non-finite parameters); lower the learning rate.</exception>
    /// <exception cref="Memory.MemoryBudgetException">The model would not fit the memory budget (checked before allocating).</exception>
    public WarpModelParameters Fit(CsrMatrix interactions, IdMap users, IdMap items, CsrMatrix? userFeatures = null,
        CsrMatrix? itemFeatures = null, IProgress<WarpEpochInfo>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(interactions);
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(items);
        ValidateInteractions(interactions, users.Count, items.Count);
        ValidateFeatures(userFeatures, users.Count, nameof(userFeatures), nameof(users));
        ValidateFeatures(itemFeatures, items.Count, nameof(itemFeatures), nameof(items));
        if (!_options.UseUserIdentityFeatures && (userFeatures is null || userFeatures.Columns == 0))
            throw new ArgumentException("With UseUserIdentityFeatures off, userFeatures must have at least one column.", nameof(userFeatures));
        if (!_options.UseItemIdentityFeatures && (itemFeatures is null || itemFeatures.Columns == 0))
            throw new ArgumentException("With UseItemIdentityFeatures off, itemFeatures must have at least one column.", nameof(itemFeatures));

        RequireMemory(users.Count, items.Count, userFeatures, itemFeatures);
        int d = _options.NumberOfComponents;
        var userRng = WarpRandom.ForStream(_options.Seed, -1, 0);
        var itemRng = WarpRandom.ForStream(_options.Seed, -1, 1);
        var userSide = WarpSide.CreateInitial(WarpFeatureSpace.Combine(users.Count, _options.UseUserIdentityFeatures, userFeatures), d, _options.LearningSchedule, ref userRng);
        var itemSide = WarpSide.CreateInitial(WarpFeatureSpace.Combine(items.Count, _options.UseItemIdentityFeatures, itemFeatures), d, _options.LearningSchedule, ref itemRng);
        var trained = new bool[users.Count];
        Train(userSide, itemSide, interactions, 0, _options.NumberOfEpochs, trained, progress);
        return new WarpModelParameters(users, items, userSide, itemSide, _options.UseUserIdentityFeatures, _options.UseItemIdentityFeatures,
            userFeatures, itemFeatures, _options.LearningSchedule, trained, _options.NumberOfEpochs);
    }

    /// <summary>
    /// Continues training a model for <paramref name="epochs"/> more epochs on <paramref name="interactions"/>
    /// (same users x items shape), starting from its parameters <em>and</em> its optimiser state (Adagrad
    /// accumulators / Adadelta averages stored in the model). Returns a new model; <paramref name="model"/> is not
    /// changed. Epoch numbering continues, so with one thread <c>Fit</c> for a+b epochs equals <c>Fit</c> for a
    /// epochs then <c>FitPartial</c> for b epochs on the same data, bit for bit.
    /// </summary>
    /// <exception cref="ArgumentException">Shapes, components or schedule differ from the model, or invalid interactions.</exception>
    public WarpModelParameters FitPartial(WarpModelParameters model, CsrMatrix interactions, int epochs, IProgress<WarpEpochInfo>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(interactions);
        ArgumentOutOfRangeException.ThrowIfLessThan(epochs, 1);
        ValidateInteractions(interactions, model.Users.Count, model.Items.Count);
        if (model.Dimension != _options.NumberOfComponents)
            throw new ArgumentException($"The model has {model.Dimension} components but the trainer's NumberOfComponents is {_options.NumberOfComponents}.", nameof(model));
        if (model.LearningSchedule != _options.LearningSchedule)
            throw new ArgumentException($"The model's optimiser state is {model.LearningSchedule} but the trainer uses {_options.LearningSchedule}.", nameof(model));
        var userSide = model.UserSide.Clone();
        var itemSide = model.ItemSide.Clone();
        var trained = new bool[model.Users.Count];
        for (int u = 0; u < trained.Length; u++) trained[u] = model.HasTrainingInteractions(u);
        Train(userSide, itemSide, interactions, model.EpochsTrained, epochs, trained, progress);
        return new WarpModelParameters(model.Users, model.Items, userSide, itemSide, model.UsesUserIdentityFeatures, model.UsesItemIdentityFeatures,
            model.UserSideFeatures, model.ItemSideFeatures, _options.LearningSchedule, trained, model.EpochsTrained + epochs);
    }

    /// <summary>
    /// Extends a model to id maps that add new users and/or items after the existing ones (incremental updates between
    /// folds or days: continue with <see cref="FitPartial"/> on interactions over the new maps). Existing users and items
    /// keep their parameters and optimiser state bit for bit; new ones get new identity features initialised as in
    /// <see cref="Fit"/> from a stream of <see cref="Options.Seed"/> reserved for growth (deterministic). New users are
    /// untrained until a <see cref="FitPartial"/> gives them interactions.
    /// </summary>
    /// <param name="model">A model with identity features only (side features would need the new rows' features: refit instead).</param>
    /// <param name="users">The model's users in the same order, followed by the new ones.</param>
    /// <param name="items">The model's items in the same order, followed by the new ones.</param>
    /// <exception cref="ArgumentException">The maps do not start with the model's ids, or the model uses side features.</exception>
    public WarpModelParameters Extend(WarpModelParameters model, IdMap users, IdMap items)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(items);
        if (model.UserSideFeatures is not null || model.ItemSideFeatures is not null || !model.UsesUserIdentityFeatures || !model.UsesItemIdentityFeatures)
            throw new ArgumentException("Only a model with identity features alone can be extended to new ids; a model with side features needs the new rows' features: refit it.", nameof(model));
        RequirePrefix(model.Users, users, nameof(users));
        RequirePrefix(model.Items, items, nameof(items));
        if (model.LearningSchedule != _options.LearningSchedule)
            throw new ArgumentException($"The model's optimiser state is {model.LearningSchedule} but the trainer uses {_options.LearningSchedule}.", nameof(model));
        RequireMemory(users.Count, items.Count, null, null);
        var userRng = WarpRandom.ForStream(_options.Seed, -2, 0);
        var itemRng = WarpRandom.ForStream(_options.Seed, -2, 1);
        var userSide = model.UserSide.GrowIdentity(users.Count, _options.LearningSchedule, ref userRng);
        var itemSide = model.ItemSide.GrowIdentity(items.Count, _options.LearningSchedule, ref itemRng);
        var trained = new bool[users.Count];
        for (int u = 0; u < model.Users.Count; u++) trained[u] = model.HasTrainingInteractions(u);
        return new WarpModelParameters(users, items, userSide, itemSide, true, true, null, null, model.LearningSchedule, trained, model.EpochsTrained);
    }

    private static void RequirePrefix(IdMap existing, IdMap grown, string name)
    {
        if (grown.Count < existing.Count)
            throw new ArgumentException($"The new map has {grown.Count} ids, fewer than the model's {existing.Count}.", name);
        for (int k = 0; k < existing.Count; k++)
            if (!string.Equals(existing[k], grown[k], StringComparison.Ordinal))
                throw new ArgumentException($"The new map must list the model's ids first, in order: position {k} holds '{grown[k]}', the model has '{existing[k]}'.", name);
    }

    private void Train(WarpSide userSide, WarpSide itemSide, CsrMatrix interactions, int firstEpoch, int epochs, bool[] trained, IProgress<WarpEpochInfo>? progress)
    {
        var pointers = interactions.RowPointers;
        for (int u = 0; u < trained.Length; u++)
            if (pointers[u + 1] > pointers[u]) trained[u] = true;
        var sgd = new WarpSgd(userSide, itemSide, interactions, _options);
        var order = new int[sgd.SamplesPerEpoch];
        var watch = new Stopwatch();
        for (int e = 0; e < epochs; e++)
        {
            watch.Restart();
            int epoch = firstEpoch + e;
            var (meanLoss, updateFraction) = sgd.RunEpoch(_options.Seed, epoch, _options.NumberOfThreads, order);
            if (!userSide.AllFinite() || !itemSide.AllFinite())
                throw new InvalidOperationException(
                    $"WARP training diverged at epoch {epoch + 1}: some parameters are NaN or infinite. Lower LearningRate (now {_options.LearningRate}) or scale down large sample weights / feature values.");
            progress?.Report(new WarpEpochInfo(epoch + 1, e + 1, epochs, meanLoss, updateFraction, watch.Elapsed));
        }
    }

    /// <summary>
    /// Refuses a fit whose arrays would not fit the memory budget (<see cref="Memory.MemoryBudget"/>): per side, features x
    /// (d + 1) floats of parameters and as many of optimiser state (twice for Adadelta); the model's packed user and item
    /// representations; one sample index per stored entry; per-thread scratch.
    /// </summary>
    private void RequireMemory(int users, int items, CsrMatrix? userFeatures, CsrMatrix? itemFeatures)
    {
        double d = _options.NumberOfComponents;
        double userSpace = (_options.UseUserIdentityFeatures ? users : 0) + (userFeatures?.Columns ?? 0);
        double itemSpace = (_options.UseItemIdentityFeatures ? items : 0) + (itemFeatures?.Columns ?? 0);
        double copies = _options.LearningSchedule == WarpLearningSchedule.Adadelta ? 3 : 2;
        double floats = (userSpace + itemSpace) * (d + 1) * copies + (users + 2.0 * items) * (d + 2)
            + (double)_options.NumberOfThreads * (5 * (d + 1) + 2 * (double)_options.N);
        Memory.MemoryBudget.Require($"WARP with {d:N0} components for {userSpace:N0} user and {itemSpace:N0} item features",
            nameof(Options.NumberOfComponents), _options.NumberOfComponents, 4 * floats, Math.Max(Math.Max(userSpace, itemSpace), Math.Max(users, items)) * (d + 2));
    }

    private void ValidateInteractions(CsrMatrix interactions, int userCount, int itemCount)
    {
        if (interactions.Rows != userCount || interactions.Columns != itemCount)
            throw new ArgumentException($"interactions is {interactions.Rows} x {interactions.Columns} but there are {userCount} users and {itemCount} items.", nameof(interactions));
        if (interactions.NonZeroCount == 0)
            throw new ArgumentException("interactions has no stored entry; at least one positive is needed.", nameof(interactions));
        bool allowNegative = _options.Loss == WarpLoss.Logistic;
        var values = interactions.Values;
        for (int p = 0; p < values.Length; p++)
        {
            float v = values[p];
            if (!float.IsFinite(v))
                throw new ArgumentException($"interactions has a non-finite value ({v}) at stored entry {p}; sample weights must be finite.", nameof(interactions));
            if (v < 0 && !allowNegative)
                throw new ArgumentException($"interactions has a negative value ({v}) at stored entry {p}; sample weights must be >= 0 (negative values are allowed only with the Logistic loss).", nameof(interactions));
        }
    }

    private static void ValidateFeatures(CsrMatrix? features, int rows, string name, string mapName)
    {
        if (features is null) return;
        if (features.Rows != rows)
            throw new ArgumentException($"{name} has {features.Rows} rows but {mapName} has {rows} ids; rows must align with the id map.", name);
        foreach (float v in features.Values)
            if (!float.IsFinite(v))
                throw new ArgumentException($"{name} has a non-finite value ({v}); feature values must be finite.", name);
    }
}
