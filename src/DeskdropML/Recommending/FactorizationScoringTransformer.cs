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
/// it holds an inner chain made only of ML.NET transforms — the id conversions (<c>CopyColumns</c> for text ids,
/// <c>MapValue</c> from the raw values of integer or key ids to the id strings), <c>MapValue</c> (user id ->
/// packed user vector), <c>MapValue</c> (item id -> packed item vector followed by the item's fallback score), the
/// stateless <c>CustomMapping</c> registered as <see cref="FactorizationScoreMappingFactory.ContractName"/> that
/// computes the score, and <c>DropColumns</c> of the temporary columns. Every <see cref="ITransformer"/> member
/// forwards to that chain. <see cref="ICanSaveModel.Save"/> saves the same chain with one more <c>MapValue</c>
/// whose single value is the whole typed model (the binary of <c>FactorizationModelZip</c>), in a column that is
/// dropped and never computed when scoring. So <c>mlContext.Model.Save</c> of any pipeline holding this
/// transformer writes an ordinary ML.NET zip that <c>mlContext.Model.Load</c> reads back (as a plain transformer
/// chain) in any process that called <c>RegisterDeskdropComponents</c>, and from which
/// <c>FactorizationModelZip.Load</c> or the <c>GetFactorizationModel()</c> / <c>CreateRecommender()</c> extensions
/// recover the typed model for fast top-k.</para>
/// <para><b>Which rows get which score.</b>
/// <list type="bullet">
/// <item>Known user with training interactions, known item: the dot product above.</item>
/// <item>User id that is unknown, or a known user without training interactions
/// (<see cref="IWarmUserModel.HasTrainingInteractions"/> false): the item's fallback score <c>f_i</c>
/// (by default the popularity = number of distinct training users of the item). This is the same ranking the
/// <see cref="Recommender"/> gives such users, so per-row scoring and top-k agree; scores of different users are
/// on different scales and must only be compared within one user.</item>
/// <item>Unknown item id (not in the model's catalogue): <see cref="float.NaN"/> — the model has no basis to
/// score it; an evaluator ranks NaN last.</item>
/// </list>
/// Id columns have the types the estimator was fitted with (text, integer or key, see
/// <see cref="InteractionColumnOptions"/>); text ids are compared ordinally (case-sensitive, no trimming), and a
/// missing key value is an unknown id.</para>
/// </remarks>
public sealed class FactorizationScoringTransformer : ITransformer
{
    /// <summary>Name of the output score column.</summary>
    public const string ScoreColumnName = "Score";

    /// <summary>Default name of the user id input column.</summary>
    public const string DefaultUserIdColumnName = "UserId";

    /// <summary>Default name of the item id input column.</summary>
    public const string DefaultItemIdColumnName = "ItemId";

    /// <summary>Temporary column holding the user id text (dropped from the output).</summary>
    internal const string UserIdTextColumnName = "DeskdropML.UserIdText";

    /// <summary>Temporary column holding the item id text (dropped from the output).</summary>
    internal const string ItemIdTextColumnName = "DeskdropML.ItemIdText";

    /// <summary>Column of the saved chain holding the model binary (dropped, never computed when scoring).</summary>
    internal const string ModelColumnName = "DeskdropML.Model";

    /// <summary>The one key of the model <c>MapValue</c>.</summary>
    internal const string ModelKey = "DeskdropML.Model.v1";

    /// <summary>Temporary column holding the packed user vector (dropped from the output).</summary>
    internal const string UserVectorColumnName = "DeskdropML.PackedUserVector";

    /// <summary>Temporary column holding the packed item vector and fallback score (dropped from the output).</summary>
    internal const string ItemVectorColumnName = "DeskdropML.PackedItemVector";

    private const string PlaceholderId = "\u0000DeskdropML.NoEntries";

    private static readonly string[] ReservedColumnNames =
        [UserIdTextColumnName, ItemIdTextColumnName, ModelColumnName, UserVectorColumnName, ItemVectorColumnName];

    private readonly MLContext _mlContext;
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
        : this(mlContext, model, trainingInteractions, fallbackScores, userIdColumnName, itemIdColumnName, modelKind, IdEncoding.Text, IdEncoding.Text)
    {
    }

    /// <summary>Wraps a trained model whose id columns have the given encodings.</summary>
    internal FactorizationScoringTransformer(MLContext mlContext, IFactorizationModel model, CsrMatrix trainingInteractions,
        float[]? fallbackScores, string userIdColumnName, string itemIdColumnName, string modelKind,
        IdEncoding userIdEncoding, IdEncoding itemIdEncoding)
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

        _mlContext = mlContext;
        Model = model;
        UserIdEncoding = userIdEncoding;
        ItemIdEncoding = itemIdEncoding;
        TrainingInteractions = trainingInteractions;
        UserIdColumnName = userIdColumnName;
        ItemIdColumnName = itemIdColumnName;
        ModelKind = modelKind;
        _fallbackScores = fallbackScores;
        _chain = BuildChain(modelBytes: null);
    }

    /// <summary>The wrapped model (typed access; cast to the trainer's model type).</summary>
    public IFactorizationModel Model { get; }

    /// <summary>The user x item training matrix (known items excluded by top-k).</summary>
    public CsrMatrix TrainingInteractions { get; }

    /// <summary>The fallback score of every item, used for users without trained vectors.</summary>
    public ReadOnlySpan<float> FallbackScores => _fallbackScores;

    /// <summary>How the user id column maps to the model's user ids.</summary>
    internal IdEncoding UserIdEncoding { get; }

    /// <summary>How the item id column maps to the model's item ids.</summary>
    internal IdEncoding ItemIdEncoding { get; }

    /// <summary>Input column with user ids.</summary>
    public string UserIdColumnName { get; }

    /// <summary>Input column with item ids.</summary>
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

    /// <summary>
    /// Saves the inner chain plus the model <c>MapValue</c> (ML.NET calls this from <c>mlContext.Model.Save</c>);
    /// see the remarks of the class.
    /// </summary>
    void ICanSaveModel.Save(ModelSaveContext ctx) =>
        BuildChain(Persistence.FactorizationModelBinary.Write(Persistence.StoredFactorizationModel.From(this))).Save(ctx);

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
        if (ReservedColumnNames.Contains(userIdColumnName) || ReservedColumnNames.Contains(itemIdColumnName))
            throw new ArgumentException("The id column names must not be the transformer's reserved temporary column names.", nameof(userIdColumnName));
    }

    /// <summary>The inner chain; with <paramref name="modelBytes"/>, the saved form that also carries the model.</summary>
    private ITransformer BuildChain(byte[]? modelBytes)
    {
        var model = Model;
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
            vector[packed] = _fallbackScores[i];
            items.Add(new(model.Items[i], vector));
        }
        // ML.NET's MapValue needs at least one pair. A placeholder key mapped to an empty vector scores like a missing
        // key (fallback for users, NaN for items), so even a real id equal to it is scored by the documented rules.
        if (users.Count == 0) users.Add(new(PlaceholderId, Array.Empty<float>()));
        if (items.Count == 0) items.Add(new(PlaceholderId, Array.Empty<float>()));
        var estimator = CreateEstimator(_mlContext, users, items, UserIdColumnName, ItemIdColumnName,
            UserIdEncoding.TextConversion(_mlContext, model.Users, UserIdColumnName, UserIdTextColumnName),
            ItemIdEncoding.TextConversion(_mlContext, model.Items, ItemIdColumnName, ItemIdTextColumnName),
            modelBytes);
        // Every step is a trivial estimator that checks column names only, so text columns of the right names do.
        return estimator.Fit(IdRowsView.OneRow(_mlContext, UserIdColumnName, ItemIdColumnName));
    }

    /// <summary>
    /// The estimator chain behind the transformer (also used with one-entry maps and text conversions to compute
    /// output schemas).
    /// </summary>
    internal static EstimatorChain<ITransformer> CreateEstimator(MLContext mlContext,
        IEnumerable<KeyValuePair<string, float[]>> users, IEnumerable<KeyValuePair<string, float[]>> items,
        string userColumn, string itemColumn, IEstimator<ITransformer>? userConversion = null,
        IEstimator<ITransformer>? itemConversion = null, byte[]? modelBytes = null)
    {
        var factory = new FactorizationScoreMappingFactory();
        var chain = (userConversion ?? mlContext.Transforms.CopyColumns(UserIdTextColumnName, userColumn))
            .Append(itemConversion ?? mlContext.Transforms.CopyColumns(ItemIdTextColumnName, itemColumn))
            .Append<ITransformer>(mlContext.Transforms.Conversion.MapValue<string, float>(UserVectorColumnName, users, UserIdTextColumnName))
            .Append<ITransformer>(mlContext.Transforms.Conversion.MapValue<string, float>(ItemVectorColumnName, items, ItemIdTextColumnName))
            .Append<ITransformer>(mlContext.Transforms.CustomMapping(factory.GetMapping(), FactorizationScoreMappingFactory.ContractName));
        var drop = new List<string> { UserIdTextColumnName, ItemIdTextColumnName, UserVectorColumnName, ItemVectorColumnName };
        if (modelBytes is not null)
        {
            chain = chain.Append<ITransformer>(mlContext.Transforms.Conversion.MapValue<string, byte>(ModelColumnName,
                new[] { new KeyValuePair<string, byte[]>(ModelKey, modelBytes) }, UserIdTextColumnName));
            drop.Add(ModelColumnName);
        }
        return chain.Append<ITransformer>(mlContext.Transforms.DropColumns(drop.ToArray()));
    }
}
