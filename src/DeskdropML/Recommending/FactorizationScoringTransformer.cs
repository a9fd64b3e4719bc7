using DeskdropML.Sparse;
using DeskdropML.Trainers.Popularity;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeskdropML.Recommending;

/// <summary>
/// An ML.NET transformer that scores (user id, item id) rows with a factorization model: it adds the
/// <see cref="float"/> column <see cref="ScoreColumnName"/> = <c>packedUser · packedItem = p_u · q_i + b_u + b_i</c>
/// (the packed form of <see cref="IFactorizationModel"/>).
/// </summary>
/// <remarks>
/// <para><b>How it is built.</b> ML.NET's persistence API is internal, so this transformer owns no bytes of its own:
/// it holds an inner chain made only of ML.NET transforms — <c>MapValue</c> (user id text -> packed user vector),
/// <c>MapValue</c> (item id text -> packed item vector followed by the item's fallback score), the stateless
/// <c>CustomMapping</c> registered as <see cref="FactorizationScoreMappingFactory.ContractName"/> that computes the
/// score, and <c>DropColumns</c> of the two temporary columns. Every <see cref="ITransformer"/> member and
/// <see cref="ICanSaveModel.Save"/> forward to that chain, so <c>mlContext.Model.Save</c> writes an ordinary ML.NET
/// zip that <c>mlContext.Model.Load</c> reads back (as a plain transformer chain) in any process that registered
/// this library with <c>mlContext.ComponentCatalog.RegisterAssembly</c> — use
/// <c>DeskdropML.Catalog.MLContextRecommendersExtensions.RegisterDeskdropComponents</c> or
/// <c>DeskdropML.Persistence.FactorizationModelZip.LoadMlNet</c>, which do it for you.
/// Typed access after loading (this class, the model, fast top-k) goes through
/// <c>DeskdropML.Persistence.FactorizationModelZip</c>, which saves the learned arrays as an extra zip entry.</para>
/// <para><b>Which rows get which score.</b>
/// <list type="bullet">
/// <item>Known user with training interactions, known item: the dot product above.</item>
/// <item>User id that is unknown, or a known user without training interactions
/// (<see cref="IFactorizationModel.HasTrainingInteractions"/> false): the item's fallback score <c>f_i</c>
/// (by default the popularity = number of distinct training users of the item). This is the same ranking the
/// <see cref="Recommender"/> gives such users, so per-row scoring and top-k agree; scores of different users are
/// on different scales and must only be compared within one user.</item>
/// <item>Unknown item id (not in the model's catalogue): <see cref="float.NaN"/> — the model has no basis to
/// score it; an evaluator ranks NaN last.</item>
/// </list>
/// Id columns must be text; ids are compared ordinally (case-sensitive, no trimming).</para>
/// </remarks>
public sealed class FactorizationScoringTransformer : ITransformer
{
    /// <summary>Name of the output score column.</summary>
    public const string ScoreColumnName = "Score";

    /// <summary>Default name of the user id input column.</summary>
    public const string DefaultUserIdColumnName = "UserId";

    /// <summary>Default name of the item id input column.</summary>
    public const string DefaultItemIdColumnName = "ItemId";

    /// <summary>Temporary column holding the packed user vector (dropped from the output).</summary>
    internal const string UserVectorColumnName = "DeskdropML.PackedUserVector";

    /// <summary>Temporary column holding the packed item vector and fallback score (dropped from the output).</summary>
    internal const string ItemVectorColumnName = "DeskdropML.PackedItemVector";

    private const string PlaceholderId = "\u0000DeskdropML.NoEntries";

    private readonly ITransformer _chain;
    private readonly float[] _fallbackScores;

    /// <summary>Wraps a trained factorization model.</summary>
    /// <param name="mlContext">The ML.NET context that builds the inner chain.</param>
    /// <param name="model">The trained model; its packed vectors are copied into the chain.</param>
    /// <param name="trainingInteractions">The user x item training matrix (<c>Users.Count x Items.Count</c>): the known
    /// items that top-k excludes. Kept for <see cref="CreateRecommender"/> and the model zip.</param>
    /// <param name="fallbackScores">One score per item for users without trained vectors; <c>null</c> (default) uses
    /// popularity, the number of distinct training users per item.</param>
    /// <param name="userIdColumnName">Text input column with user ids.</param>
    /// <param name="itemIdColumnName">Text input column with item ids.</param>
    /// <param name="modelKind">A short name of the trainer (e.g. "warp", "als"), stored in model zips.</param>
    /// <exception cref="ArgumentException">Shapes disagree, a column name is empty or both names are equal, or the
    /// model's dimension is negative.</exception>
    public FactorizationScoringTransformer(MLContext mlContext, IFactorizationModel model, CsrMatrix trainingInteractions,
        float[]? fallbackScores = null, string userIdColumnName = DefaultUserIdColumnName,
        string itemIdColumnName = DefaultItemIdColumnName, string modelKind = "factorization")
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(trainingInteractions);
        ValidateColumnNames(userIdColumnName, itemIdColumnName);
        ArgumentException.ThrowIfNullOrWhiteSpace(modelKind);
        if (model.Dimension < 0)
            throw new ArgumentException($"The model's Dimension is {model.Dimension}; it must be zero or more.", nameof(model));
        if (trainingInteractions.Rows != model.Users.Count || trainingInteractions.Columns != model.Items.Count)
            throw new ArgumentException(
                $"trainingInteractions is {trainingInteractions.Rows} x {trainingInteractions.Columns} but the model has {model.Users.Count} users and {model.Items.Count} items.",
                nameof(trainingInteractions));
        if (fallbackScores is null)
        {
            fallbackScores = PopularityModel.Fit(trainingInteractions, model.Users, model.Items).ItemScores.ToArray();
        }
        else
        {
            if (fallbackScores.Length != model.Items.Count)
                throw new ArgumentException($"fallbackScores has {fallbackScores.Length} entries; the model has {model.Items.Count} items.", nameof(fallbackScores));
            fallbackScores = (float[])fallbackScores.Clone();
        }

        Model = model;
        TrainingInteractions = trainingInteractions;
        UserIdColumnName = userIdColumnName;
        ItemIdColumnName = itemIdColumnName;
        ModelKind = modelKind;
        _fallbackScores = fallbackScores;
        _chain = BuildChain(mlContext, model, fallbackScores, userIdColumnName, itemIdColumnName);
    }

    /// <summary>The wrapped model (typed access; cast to the trainer's model type).</summary>
    public IFactorizationModel Model { get; }

    /// <summary>The user x item training matrix (known items excluded by top-k).</summary>
    public CsrMatrix TrainingInteractions { get; }

    /// <summary>The fallback score of every item, used for users without trained vectors.</summary>
    public ReadOnlySpan<float> FallbackScores => _fallbackScores;

    /// <summary>Text input column with user ids.</summary>
    public string UserIdColumnName { get; }

    /// <summary>Text input column with item ids.</summary>
    public string ItemIdColumnName { get; }

    /// <summary>Short name of the trainer that produced the model.</summary>
    public string ModelKind { get; }

    /// <summary>The inner chain of ML.NET transforms that does the work (what a saved zip contains).</summary>
    public ITransformer ScoringChain => _chain;

    /// <inheritdoc />
    public bool IsRowToRowMapper => _chain.IsRowToRowMapper;

    /// <inheritdoc />
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => _chain.GetOutputSchema(inputSchema);

    /// <inheritdoc />
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => _chain.GetRowToRowMapper(inputSchema);

    /// <inheritdoc />
    public IDataView Transform(IDataView input) => _chain.Transform(input);

    /// <summary>Saves the inner chain (ML.NET calls this from <c>mlContext.Model.Save</c>).</summary>
    void ICanSaveModel.Save(ModelSaveContext ctx) => _chain.Save(ctx);

    /// <summary>A top-k recommender over the same model, known items and fallback.</summary>
    public Recommender CreateRecommender() => new(Model, TrainingInteractions, _fallbackScores);

    internal static void ValidateColumnNames(string userIdColumnName, string itemIdColumnName)
    {
        if (string.IsNullOrWhiteSpace(userIdColumnName))
            throw new ArgumentException("The user id column name must be a non-empty string.", nameof(userIdColumnName));
        if (string.IsNullOrWhiteSpace(itemIdColumnName))
            throw new ArgumentException("The item id column name must be a non-empty string.", nameof(itemIdColumnName));
        if (string.Equals(userIdColumnName, itemIdColumnName, StringComparison.Ordinal))
            throw new ArgumentException($"The user and item id columns must differ; both are '{userIdColumnName}'.", nameof(itemIdColumnName));
        if (userIdColumnName is UserVectorColumnName or ItemVectorColumnName || itemIdColumnName is UserVectorColumnName or ItemVectorColumnName)
            throw new ArgumentException("The id column names must not be the transformer's reserved temporary column names.", nameof(userIdColumnName));
    }

    private static ITransformer BuildChain(MLContext mlContext, IFactorizationModel model, float[] fallback, string userColumn, string itemColumn)
    {
        int packed = model.Dimension + 2;
        var users = new List<KeyValuePair<string, float[]>>(model.Users.Count);
        for (int u = 0; u < model.Users.Count; u++)
        {
            if (!model.HasTrainingInteractions(u)) continue;
            var vector = new float[packed];
            model.GetPackedUserVector(u, vector);
            users.Add(new(model.Users[u], vector));
        }
        var items = new List<KeyValuePair<string, float[]>>(model.Items.Count);
        for (int i = 0; i < model.Items.Count; i++)
        {
            var vector = new float[packed + 1];
            model.GetPackedItemVector(i, vector.AsSpan(0, packed));
            vector[packed] = fallback[i];
            items.Add(new(model.Items[i], vector));
        }
        // ML.NET's MapValue needs at least one pair. A placeholder key mapped to an empty vector scores like a missing
        // key (fallback for users, NaN for items), so even a real id equal to it is scored by the documented rules.
        if (users.Count == 0) users.Add(new(PlaceholderId, Array.Empty<float>()));
        if (items.Count == 0) items.Add(new(PlaceholderId, Array.Empty<float>()));
        var estimator = CreateEstimator(mlContext, users, items, userColumn, itemColumn);
        return estimator.Fit(IdRowsView.OneRow(mlContext, userColumn, itemColumn));
    }

    /// <summary>The estimator chain behind the transformer (also used with one-entry maps to compute output schemas).</summary>
    internal static EstimatorChain<ITransformer> CreateEstimator(MLContext mlContext,
        IEnumerable<KeyValuePair<string, float[]>> users, IEnumerable<KeyValuePair<string, float[]>> items,
        string userColumn, string itemColumn)
    {
        var factory = new FactorizationScoreMappingFactory();
        return mlContext.Transforms.Conversion.MapValue<string, float>(UserVectorColumnName, users, userColumn)
            .Append<ITransformer>(mlContext.Transforms.Conversion.MapValue<string, float>(ItemVectorColumnName, items, itemColumn))
            .Append<ITransformer>(mlContext.Transforms.CustomMapping(factory.GetMapping(), FactorizationScoreMappingFactory.ContractName))
            .Append<ITransformer>(mlContext.Transforms.DropColumns(UserVectorColumnName, ItemVectorColumnName));
    }
}
