using DeskdropML.Sparse;
using DeskdropML.Trainers.Popularity;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeskdropML.Recommending;

/// <summary>
/// Base of the ML.NET estimators of factorization trainers (WARP, ALS): reads the (user id, item id, label) columns,
/// builds the user x item matrix, calls the trainer's <see cref="FitCore"/> and wraps the model in a
/// <see cref="FactorizationScoringTransformer"/>.
/// </summary>
/// <typeparam name="TModel">The trainer's model type.</typeparam>
/// <remarks>
/// <para>Input: text columns <see cref="UserIdColumnName"/> and <see cref="ItemIdColumnName"/> and an optional
/// <see cref="float"/>/<see cref="double"/> weight column <see cref="LabelColumnName"/> (default weight 1).
/// Duplicate (user, item) rows are summed. Ids are mapped in ordinal order, unless catalogues are given
/// (then items without training rows can exist and get scores from the model, e.g. from features).
/// The fallback scores for cold users are popularity: distinct training users per item.</para>
/// <para>Output: the input columns plus <see cref="FactorizationScoringTransformer.ScoreColumnName"/>.
/// The fitted transformer exposes the typed model through <see cref="FactorizationScoringTransformer.Model"/>;
/// ML.NET's <c>Model.Load</c> returns only a plain chain, so use
/// <c>DeskdropML.Persistence.FactorizationModelZip</c> to save and reload typed models.</para>
/// </remarks>
public abstract class FactorizationEstimatorBase<TModel> : IEstimator<FactorizationScoringTransformer>
    where TModel : class, IFactorizationModel
{
    /// <summary>Initialises the column names and optional catalogues.</summary>
    /// <param name="mlContext">The ML.NET context.</param>
    /// <param name="userIdColumnName">Text column with user ids.</param>
    /// <param name="itemIdColumnName">Text column with item ids.</param>
    /// <param name="labelColumnName">Optional weight column; <c>null</c> or empty: every row weighs 1.</param>
    /// <param name="userCatalog">Optional fixed user id map (ids in the data must belong to it).</param>
    /// <param name="itemCatalog">Optional fixed item id map (ids in the data must belong to it).</param>
    protected FactorizationEstimatorBase(MLContext mlContext, string userIdColumnName, string itemIdColumnName,
        string? labelColumnName = null, IdMap? userCatalog = null, IdMap? itemCatalog = null)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        FactorizationScoringTransformer.ValidateColumnNames(userIdColumnName, itemIdColumnName);
        Context = mlContext;
        UserIdColumnName = userIdColumnName;
        ItemIdColumnName = itemIdColumnName;
        LabelColumnName = string.IsNullOrEmpty(labelColumnName) ? null : labelColumnName;
        UserCatalog = userCatalog;
        ItemCatalog = itemCatalog;
    }

    /// <summary>The ML.NET context.</summary>
    protected MLContext Context { get; }

    /// <summary>Text column with user ids.</summary>
    public string UserIdColumnName { get; }

    /// <summary>Text column with item ids.</summary>
    public string ItemIdColumnName { get; }

    /// <summary>Weight column, or <c>null</c> for weight 1.</summary>
    public string? LabelColumnName { get; }

    /// <summary>Fixed user map, or <c>null</c> to use the distinct ids of the data.</summary>
    public IdMap? UserCatalog { get; }

    /// <summary>Fixed item map, or <c>null</c> to use the distinct ids of the data.</summary>
    public IdMap? ItemCatalog { get; }

    /// <summary>Short trainer name stored in model zips (e.g. "warp").</summary>
    protected abstract string ModelKind { get; }

    /// <summary>Trains the model on a user x item matrix.</summary>
    /// <param name="interactions">User x item weights, <c>users.Count x items.Count</c>, duplicates summed.</param>
    /// <param name="users">Row ids.</param>
    /// <param name="items">Column ids.</param>
    protected abstract TModel FitCore(CsrMatrix interactions, IdMap users, IdMap items);

    /// <summary>Reads the interactions, trains and returns the scoring transformer.</summary>
    /// <exception cref="ArgumentException">Missing or mistyped column, no rows, an empty id, an id outside a catalogue
    /// or a non-finite weight (messages name the column or row).</exception>
    public FactorizationScoringTransformer Fit(IDataView input)
    {
        var data = DataViewInteractions.Read(input, UserIdColumnName, ItemIdColumnName, LabelColumnName, UserCatalog, ItemCatalog);
        TModel model = FitCore(data.Matrix, data.Users, data.Items)
            ?? throw new InvalidOperationException($"{GetType().Name}.FitCore returned null.");
        if (model.Users.Count != data.Users.Count || model.Items.Count != data.Items.Count)
            throw new InvalidOperationException($"{GetType().Name}.FitCore returned a model with {model.Users.Count} users and {model.Items.Count} items; expected {data.Users.Count} and {data.Items.Count}.");
        var popularity = PopularityModel.Fit(data.Matrix, data.Users, data.Items);
        return new FactorizationScoringTransformer(Context, model, data.Matrix, popularity.ItemScores.ToArray(),
            UserIdColumnName, ItemIdColumnName, ModelKind);
    }

    /// <summary>
    /// The output schema: the input columns plus the <see cref="float"/> column
    /// <see cref="FactorizationScoringTransformer.ScoreColumnName"/>. Checks that the id columns exist and are scalar
    /// text and that the label column, if any, is a scalar Single or Double, then asks the same ML.NET chain as the
    /// transformer (built on one-entry maps) for the shape.
    /// </summary>
    /// <exception cref="ArgumentException">A column is missing or has the wrong type (the message names it).</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        RequireScalar(inputSchema, UserIdColumnName, "user id", t => t is TextDataViewType, "text (string)");
        RequireScalar(inputSchema, ItemIdColumnName, "item id", t => t is TextDataViewType, "text (string)");
        if (LabelColumnName is not null)
            RequireScalar(inputSchema, LabelColumnName, "label", t => t == NumberDataViewType.Single || t == NumberDataViewType.Double, "Single (float) or Double");
        var dummy = new[] { new KeyValuePair<string, float[]>(string.Empty, new float[3]) };
        return FactorizationScoringTransformer.CreateEstimator(Context, dummy, dummy, UserIdColumnName, ItemIdColumnName)
            .GetOutputSchema(inputSchema);
    }

    private static void RequireScalar(SchemaShape schema, string name, string what, Func<DataViewType, bool> typeOk, string allowed)
    {
        foreach (var column in schema)
        {
            if (column.Name != name) continue;
            if (column.Kind != SchemaShape.Column.VectorKind.Scalar || column.IsKey || !typeOk(column.ItemType))
                throw new ArgumentException($"The {what} column '{name}' has type {column.ItemType} ({column.Kind}{(column.IsKey ? ", key" : "")}); it must be a scalar {allowed}.", "inputSchema");
            return;
        }
        throw new ArgumentException($"The input has no {what} column '{name}'.", "inputSchema");
    }
}
