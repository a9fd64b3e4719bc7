using System.IO.Compression;
using DeskdropML.Recommending;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace DeskdropML.Persistence;

/// <summary>
/// Saves and loads factorization models as ML.NET model zips that also carry the typed model.
/// </summary>
/// <remarks>
/// There is one zip format: the one <c>mlContext.Model.Save</c> writes for any pipeline holding a
/// <see cref="FactorizationScoringTransformer"/> (what every DeskdropML estimator returns). The transformer saves,
/// besides its scoring transforms, a <c>MapValue</c> whose value is the typed model (ids, packed vectors, training
/// matrix, fallback scores, model kind, id columns and their types; the versioned binary described on
/// <c>FactorizationModelBinary</c>), so the same file serves both worlds:
/// <list type="bullet">
/// <item><c>mlContext.Model.Load</c> after <see cref="MLContextRecommendersExtensions.RegisterDeskdropComponents"/>
/// (or <see cref="LoadMlNet"/>) gives a plain ML.NET transformer chain that adds the <c>Score</c> column;</item>
/// <item><see cref="Load"/> gives the typed <see cref="StoredFactorizationModel"/> for fast top-k (also
/// <see cref="FromTransformer"/> or the <c>GetFactorizationModel()</c> extension on an already loaded chain), and
/// <see cref="LoadTransformer"/> rebuilds a typed <see cref="FactorizationScoringTransformer"/>.</item>
/// </list>
/// <see cref="Save"/> is a convenience that checks the pipeline holds a DeskdropML model and calls
/// <c>mlContext.Model.Save</c>. Zips written before this format by <see cref="Save"/> (with a separate
/// <see cref="EntryName"/> entry) still load. Loaded packed vectors are bit-identical to the saved ones.
/// </remarks>
public static class FactorizationModelZip
{
    /// <summary>Name of the zip entry holding the typed model in zips written by earlier versions of <see cref="Save"/>.</summary>
    public const string EntryName = "DeskdropML/model.bin";

    /// <summary>
    /// Saves <paramref name="model"/> — a <see cref="FactorizationScoringTransformer"/> or an ML.NET transformer chain
    /// containing one — to <paramref name="path"/> with <c>mlContext.Model.Save</c>.
    /// </summary>
    /// <param name="mlContext">The ML.NET context.</param>
    /// <param name="model">The fitted transformer or pipeline.</param>
    /// <param name="inputSchema">Schema of the data the pipeline is applied to (stored by ML.NET).</param>
    /// <param name="path">The zip file to write: replaced atomically (see <see cref="AtomicFile"/>), so it is either the
    /// old file or the complete new one, never partial.</param>
    /// <exception cref="ArgumentException"><paramref name="model"/> contains no <see cref="FactorizationScoringTransformer"/>.</exception>
    public static void Save(MLContext mlContext, ITransformer model, DataViewSchema inputSchema, string path) =>
        SaveWithEntries(mlContext, model, inputSchema, path, addEntries: null);

    /// <summary>
    /// Saves like <c>Save</c>, letting the caller add entries to the zip inside the same atomic write (the target
    /// appears only once every entry is written).
    /// </summary>
    internal static void SaveWithEntries(MLContext mlContext, ITransformer model, DataViewSchema inputSchema, string path, Action<ZipArchive>? addEntries)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputSchema);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (FindScoringTransformer(model) is null)
            throw new ArgumentException($"The model ({model.GetType().Name}) contains no {nameof(FactorizationScoringTransformer)}.", nameof(model));
        // Written to a temporary file and renamed over the target: a crash or kill never leaves a partial zip.
        AtomicFile.Write(path, file =>
        {
            mlContext.Model.Save(model, inputSchema, file);
            if (addEntries is null) return;
            file.Position = 0;
            using var zip = new ZipArchive(file, ZipArchiveMode.Update, leaveOpen: true);
            addEntries(zip);
        });
    }

    /// <summary>
    /// Loads the typed model stored in a zip written by <c>mlContext.Model.Save</c> (or <see cref="Save"/>) of a
    /// pipeline holding a DeskdropML factorization model; the last one when there are several.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a zip or not an ML.NET model, holds no DeskdropML model,
    /// or the model is corrupt, truncated or of an unsupported version (the message names the file).</exception>
    public static StoredFactorizationModel Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Model file '{path}' does not exist.", path);
        byte[]? bytes;
        try
        {
            using var zip = ZipFile.OpenRead(path);
            bytes = ReadEntry(zip.GetEntry(EntryName));
        }
        catch (InvalidDataException e) when (!e.Message.Contains(path, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"'{path}' is not a readable zip file: {e.Message}", e);
        }
        if (bytes is not null) return FactorizationModelBinary.Read(bytes, $"'{path}' entry '{EntryName}'");

        ITransformer loaded;
        try
        {
            loaded = LoadMlNet(new MLContext(), path, out _);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidDataException($"'{path}' is not an ML.NET model zip that this library can read: {e.Message}", e);
        }
        return FindStoredModel(loaded, $"'{path}'")
            ?? throw new InvalidDataException($"'{path}' holds no DeskdropML factorization model: save a pipeline fitted with a DeskdropML trainer with mlContext.Model.Save.");
    }

    /// <summary>
    /// The typed model of a fitted or loaded pipeline: the <see cref="FactorizationScoringTransformer"/> it holds (the
    /// last one), or, for a chain loaded with <c>mlContext.Model.Load</c>, the model its saved form carries.
    /// </summary>
    /// <exception cref="ArgumentException">The pipeline holds no DeskdropML factorization model.</exception>
    /// <exception cref="InvalidDataException">The carried model is corrupt or of an unsupported version.</exception>
    public static StoredFactorizationModel FromTransformer(ITransformer model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (FindScoringTransformer(model) is { } scoring) return StoredFactorizationModel.From(scoring);
        return FindStoredModel(model, "the model")
            ?? throw new ArgumentException($"The model ({model.GetType().Name}) holds no DeskdropML factorization model.", nameof(model));
    }

    /// <summary>
    /// Loads the typed model of a zip (see <see cref="Load"/>) and rebuilds the scoring transformer from it
    /// (same column names and types, packed vectors, training matrix and fallback scores as when saved).
    /// </summary>
    public static FactorizationScoringTransformer LoadTransformer(MLContext mlContext, string path)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        var stored = Load(path);
        return new FactorizationScoringTransformer(mlContext, stored, stored.TrainingInteractions, stored.FallbackScores.ToArray(),
            stored.UserIdColumnName, stored.ItemIdColumnName, stored.ModelKind, stored.UserIdEncoding, stored.ItemIdEncoding);
    }

    /// <summary>
    /// Loads the zip with ML.NET (<c>mlContext.Model.Load</c>) after registering this library's components, giving the
    /// saved pipeline as a plain ML.NET transformer.
    /// </summary>
    public static ITransformer LoadMlNet(MLContext mlContext, string path, out DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        mlContext.RegisterDeskdropComponents();
        return mlContext.Model.Load(path, out inputSchema);
    }

    private static byte[]? ReadEntry(ZipArchiveEntry? entry)
    {
        if (entry is null) return null;
        using var stream = entry.Open();
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    private static FactorizationScoringTransformer? FindScoringTransformer(ITransformer model)
    {
        if (model is FactorizationScoringTransformer scoring) return scoring;
        FactorizationScoringTransformer? found = null;
        if (model is IEnumerable<ITransformer> chain)
            foreach (var inner in chain)
                found = FindScoringTransformer(inner) ?? found;
        return found;
    }

    /// <summary>
    /// Finds the model <c>MapValue</c> of a saved <see cref="FactorizationScoringTransformer"/> in a loaded chain (the
    /// last one) and parses the model it carries; null when there is none.
    /// </summary>
    private static StoredFactorizationModel? FindStoredModel(ITransformer model, string source)
    {
        var probe = ModelProbe.Value;
        byte[]? found = null;
        void Visit(ITransformer t)
        {
            if (t is IEnumerable<ITransformer> chain)
            {
                foreach (var inner in chain) Visit(inner);
                return;
            }
            if (t is not ValueMappingTransformer) return;
            DataViewSchema output;
            try { output = t.GetOutputSchema(probe.Schema); }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException) { return; } // another column's map
            var column = output.GetColumnOrNull(FactorizationScoringTransformer.ModelColumnName);
            if (column is null || column.Value.Type is not VectorDataViewType { ItemType: var itemType } || itemType != NumberDataViewType.Byte) return;
            var view = t.Transform(probe);
            using var cursor = view.GetRowCursor(new[] { view.Schema[column.Value.Index] });
            var getter = cursor.GetGetter<VBuffer<byte>>(view.Schema[column.Value.Index]);
            VBuffer<byte> value = default;
            if (cursor.MoveNext()) { getter(ref value); found = value.DenseValues().ToArray(); }
        }
        Visit(model);
        return found is null ? null : FactorizationModelBinary.Read(found, $"{source} (DeskdropML model)");
    }

    /// <summary>A one-row view with the model key in the user id text column, to read the model <c>MapValue</c>.</summary>
    private static readonly Lazy<IDataView> ModelProbe = new(() => IdRowsView.FromPairs(new MLContext(),
        FactorizationScoringTransformer.UserIdTextColumnName, FactorizationScoringTransformer.ItemIdTextColumnName,
        new[] { (FactorizationScoringTransformer.ModelKey, string.Empty) }));
}
