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
/// <para>Input: the id columns <see cref="UserIdColumnName"/> and <see cref="ItemIdColumnName"/> (text, integer or
/// key, e.g. from <c>MapValueToKey</c>) and the optional weight column <see cref="LabelColumnName"/>; the rules are
/// those of <see cref="InteractionColumnOptions"/>. Duplicate (user, item) rows are summed. Ids are mapped in
/// ordinal order of their strings, unless catalogues are given (then users and items without training rows can
/// exist: items get scores from the model, e.g. from features, users are cold and get the fallback).
/// The fallback scores for cold users are popularity: distinct training users per item.</para>
/// <para>Output: the input columns plus <see cref="FactorizationScoringTransformer.ScoreColumnName"/>.
/// The fitted transformer exposes the typed model through <see cref="FactorizationScoringTransformer.Model"/>;
/// after <c>mlContext.Model.Save</c> and <c>Load</c>, <c>DeskdropML.Persistence.FactorizationModelZip.Load</c>
/// or the <c>GetFactorizationModel()</c> extension give it back for top-k.</para>
/// </remarks>
public abstract class FactorizationEstimatorBase<TModel> : IEstimator<FactorizationScoringTransformer>
    where TModel : class, IFactorizationModel
{
    /// <summary>Initialises the column names and optional catalogues.</summary>
    /// <param name="mlContext">The ML.NET context.</param>
    /// <param name="userIdColumnName">Column with user ids (text, integer or key).</param>
    /// <param name="itemIdColumnName">Column with item ids (text, integer or key).</param>
    /// <param name="labelColumnName">Weight column; <c>null</c>: every row weighs 1; the default name
    /// <c>"Label"</c> is used only when the input has it.</param>
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
        LabelColumnName = labelColumnName;
        UserCatalog = userCatalog;
        ItemCatalog = itemCatalog;
    }

    /// <summary>The ML.NET context.</summary>
    protected MLContext Context { get; }

    /// <summary>Column with user ids.</summary>
    public string UserIdColumnName { get; }

    /// <summary>Column with item ids.</summary>
    public string ItemIdColumnName { get; }

    /// <summary>Weight column (the default <c>"Label"</c> only when present), or <c>null</c> for weight 1.</summary>
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
    /// <exception cref="ArgumentException">Missing or mistyped column, no rows, an empty id or missing key, an id
    /// outside a catalogue or a non-finite weight (messages name the column or row).</exception>
    public FactorizationScoringTransformer Fit(IDataView input)
    {
        var (data, userEncoding, itemEncoding) = DataViewInteractions.ReadEncoded(input, UserIdColumnName, ItemIdColumnName, LabelColumnName, UserCatalog, ItemCatalog);
        TModel model = FitCore(data.Matrix, data.Users, data.Items)
            ?? throw new InvalidOperationException($"{GetType().Name}.FitCore returned null.");
        if (model.Users.Count != data.Users.Count || model.Items.Count != data.Items.Count)
            throw new InvalidOperationException($"{GetType().Name}.FitCore returned a model with {model.Users.Count} users and {model.Items.Count} items; expected {data.Users.Count} and {data.Items.Count}.");
        var popularity = PopularityModel.Fit(data.Matrix, data.Users, data.Items);
        return new FactorizationScoringTransformer(Context, model, data.Matrix, popularity.ItemScores.ToArray(),
            UserIdColumnName, ItemIdColumnName, ModelKind, userEncoding, itemEncoding);
    }

    /// <summary>
    /// The output schema: the input columns plus the <see cref="float"/> column
    /// <see cref="FactorizationScoringTransformer.ScoreColumnName"/>. Checks that the id columns exist and are scalar
    /// text, integer or key columns and that the label column, if used, is a scalar number, then asks the same ML.NET
    /// chain as the transformer (built on one-entry maps) for the shape.
    /// </summary>
    /// <exception cref="ArgumentException">A column is missing or has the wrong type (the message names it).</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        RequireScalar(inputSchema, UserIdColumnName, "user id", IdEncoding.IsIdShape, "text, integer or key column");
        RequireScalar(inputSchema, ItemIdColumnName, "item id", IdEncoding.IsIdShape, "text, integer or key column");
        if (LabelColumnName is { } label && (label != InteractionColumnOptions.DefaultLabelColumnName || Find(inputSchema, label) is not null))
            RequireScalar(inputSchema, label, "label",
                c => c.Kind == SchemaShape.Column.VectorKind.Scalar && !c.IsKey && DataViewInteractions.IsWeightType(c.ItemType), "Single, Double or integer");
        var dummy = new[] { new KeyValuePair<string, float[]>(string.Empty, new float[3]) };
        return FactorizationScoringTransformer.CreateEstimator(Context, dummy, dummy, UserIdColumnName, ItemIdColumnName)
            .GetOutputSchema(inputSchema);
    }

    private static void RequireScalar(SchemaShape schema, string name, string what, Func<SchemaShape.Column, bool> typeOk, string allowed)
    {
        var column = Find(schema, name)
            ?? throw new ArgumentException($"The input has no {what} column '{name}'.", "inputSchema");
        if (!typeOk(column))
            throw new ArgumentException($"The {what} column '{name}' has type {column.ItemType} ({column.Kind}{(column.IsKey ? ", key" : "")}); it must be a scalar {allowed}.", "inputSchema");
    }

    private static SchemaShape.Column? Find(SchemaShape schema, string name)
    {
        foreach (var column in schema)
            if (column.Name == name) return column;
        return null;
    }
}
