namespace DeskdropML.Recommending;

/// <summary>
/// The input columns of a DeskdropML estimator: a user id column, an item id column and an optional weight
/// (label) column. Base of the trainers' nested <c>Options</c> classes.
/// </summary>
/// <remarks>
/// <para><b>Id columns</b> may be text, any integer type (<c>SByte</c> .. <c>UInt64</c>) or a key type — the
/// <c>MapValueToKey</c> idiom of ML.NET's <c>MatrixFactorizationTrainer</c>. The model's ids are strings: the text
/// itself, the integer in invariant decimal form, or for a key the text of its key value (<c>KeyValues</c>
/// annotation, as written by <c>MapValueToKey</c>; integer key values in decimal form) or, for a key without key
/// values, the 0-based key index in decimal form (the number written in a <c>[KeyType(count)]</c> field of an
/// in-memory class). A missing key value is rejected when fitting and is an unknown id when scoring.
/// The catalogue is the ids that occur in the training rows unless the estimator is given a catalogue; unused key
/// values are not items of the model.</para>
/// <para><b>Aliases.</b> <see cref="MatrixColumnIndexColumnName"/> and <see cref="MatrixRowIndexColumnName"/> are
/// the option names of <c>MatrixFactorizationTrainer.Options</c> and set the user and item column: ML.NET's own
/// recommendation samples and AutoML put the user in the matrix column index and the item in the matrix row index,
/// so moving from matrix factorization to a DeskdropML trainer changes only the options type.</para>
/// <para><b>Label.</b> <see cref="LabelColumnName"/> defaults to <c>"Label"</c> like every ML.NET trainer. When the
/// input has no column of the default name, every row weighs 1; another name must exist. Set it to <c>null</c> to
/// give every row weight 1 even when a <c>Label</c> column exists. The column may be <c>Single</c>, <c>Double</c>
/// or any integer type; values must be finite. Duplicate (user, item) rows are summed.</para>
/// </remarks>
public abstract class InteractionColumnOptions
{
    /// <summary>The default label column name, the one of every ML.NET trainer.</summary>
    public const string DefaultLabelColumnName = "Label";

    /// <summary>Name of the user id column. Default <c>"UserId"</c>.</summary>
    public string UserIdColumnName = "UserId";

    /// <summary>Name of the item id column. Default <c>"ItemId"</c>.</summary>
    public string ItemIdColumnName = "ItemId";

    /// <summary>
    /// Name of the weight column. Default <c>"Label"</c>, used only when the input has it (else every row weighs 1);
    /// <c>null</c>: every row weighs 1. See the remarks of <see cref="InteractionColumnOptions"/>.
    /// </summary>
    public string? LabelColumnName = DefaultLabelColumnName;

    /// <summary>
    /// Alias of <see cref="UserIdColumnName"/> under <c>MatrixFactorizationTrainer.Options</c>' name (the user is
    /// the matrix column index in ML.NET's recommendation samples).
    /// </summary>
    public string MatrixColumnIndexColumnName
    {
        get => UserIdColumnName;
        set => UserIdColumnName = value;
    }

    /// <summary>
    /// Alias of <see cref="ItemIdColumnName"/> under <c>MatrixFactorizationTrainer.Options</c>' name (the item is
    /// the matrix row index in ML.NET's recommendation samples).
    /// </summary>
    public string MatrixRowIndexColumnName
    {
        get => ItemIdColumnName;
        set => ItemIdColumnName = value;
    }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming a column option that is empty or clashes.</summary>
    internal void ValidateColumns()
    {
        if (string.IsNullOrWhiteSpace(UserIdColumnName))
            throw new ArgumentOutOfRangeException(nameof(UserIdColumnName), UserIdColumnName, "UserIdColumnName (alias MatrixColumnIndexColumnName) must be a non-empty column name.");
        if (string.IsNullOrWhiteSpace(ItemIdColumnName))
            throw new ArgumentOutOfRangeException(nameof(ItemIdColumnName), ItemIdColumnName, "ItemIdColumnName (alias MatrixRowIndexColumnName) must be a non-empty column name.");
        if (string.Equals(UserIdColumnName, ItemIdColumnName, StringComparison.Ordinal))
            throw new ArgumentOutOfRangeException(nameof(ItemIdColumnName), ItemIdColumnName, $"UserIdColumnName and ItemIdColumnName must differ; both are '{UserIdColumnName}'.");
        if (LabelColumnName is not null && string.IsNullOrWhiteSpace(LabelColumnName))
            throw new ArgumentOutOfRangeException(nameof(LabelColumnName), LabelColumnName, "LabelColumnName must be a column name or null (every row weighs 1).");
    }

    /// <summary>
    /// Sets the columns from a catalog extension's simple arguments: an alias, when given, names the same column as
    /// its primary argument; giving both with different names is an error.
    /// </summary>
    internal void SetColumns(string userIdColumnName, string itemIdColumnName, string? labelColumnName,
        string? matrixColumnIndexColumnName, string? matrixRowIndexColumnName, string defaultUser = "UserId", string defaultItem = "ItemId")
    {
        UserIdColumnName = Pick(userIdColumnName, defaultUser, matrixColumnIndexColumnName, "userIdColumnName", "matrixColumnIndexColumnName");
        ItemIdColumnName = Pick(itemIdColumnName, defaultItem, matrixRowIndexColumnName, "itemIdColumnName", "matrixRowIndexColumnName");
        LabelColumnName = labelColumnName;
    }

    private static string Pick(string primary, string primaryDefault, string? alias, string primaryName, string aliasName)
    {
        if (alias is null) return primary;
        if (primary != primaryDefault && primary != alias)
            throw new ArgumentException($"{primaryName} ('{primary}') and its alias {aliasName} ('{alias}') name different columns; give one of them.", aliasName);
        return alias;
    }
}
