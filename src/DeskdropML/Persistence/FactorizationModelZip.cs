using System.IO.Compression;
using DeskdropML.Catalog;
using DeskdropML.Recommending;
using Microsoft.ML;

namespace DeskdropML.Persistence;

/// <summary>
/// Saves and loads factorization models as ML.NET model zips that also carry the typed model.
/// </summary>
/// <remarks>
/// <see cref="Save"/> first writes an ordinary ML.NET zip with <c>mlContext.Model.Save</c> (the transformer's inner
/// chain of ML.NET transforms), then adds the entry <see cref="EntryName"/> with the learned arrays in the versioned
/// binary format described on <c>FactorizationModelBinary</c> (ids, packed vectors, training matrix, fallback scores,
/// model kind, column names). ML.NET ignores the extra entry, so the same file serves both worlds:
/// <list type="bullet">
/// <item><see cref="LoadMlNet"/> (or <c>mlContext.Model.Load</c> after
/// <see cref="MLContextRecommendersExtensions.RegisterDeskdropComponents"/>) gives a plain ML.NET transformer chain
/// that adds the <c>Score</c> column;</item>
/// <item><see cref="Load"/> gives the typed <see cref="StoredFactorizationModel"/> for fast top-k, and
/// <see cref="LoadTransformer"/> rebuilds a typed <see cref="FactorizationScoringTransformer"/>.</item>
/// </list>
/// Loaded packed vectors are bit-identical to the saved ones.
/// </remarks>
public static class FactorizationModelZip
{
    /// <summary>Name of the zip entry holding the typed model.</summary>
    public const string EntryName = "DeskdropML/model.bin";

    /// <summary>
    /// Saves <paramref name="model"/> — a <see cref="FactorizationScoringTransformer"/> or an ML.NET transformer chain
    /// containing one (the last one found is stored as the typed model) — to <paramref name="path"/>.
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
        var scoring = FindScoringTransformer(model)
            ?? throw new ArgumentException($"The model ({model.GetType().Name}) contains no {nameof(FactorizationScoringTransformer)}.", nameof(model));
        byte[] bytes = FactorizationModelBinary.Write(StoredFactorizationModel.From(scoring));
        // Written to a temporary file and renamed over the target: a crash or kill never leaves a partial zip.
        AtomicFile.Write(path, file =>
        {
            mlContext.Model.Save(model, inputSchema, file);
            file.Position = 0;
            using var zip = new ZipArchive(file, ZipArchiveMode.Update, leaveOpen: true);
            zip.GetEntry(EntryName)?.Delete();
            var entry = zip.CreateEntry(EntryName, CompressionLevel.Fastest);
            using (var stream = entry.Open()) stream.Write(bytes);
            addEntries?.Invoke(zip);
        });
    }

    /// <summary>Loads the typed model stored in a zip written by <see cref="Save"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a zip, has no <see cref="EntryName"/> entry, or the entry
    /// is corrupt, truncated or of an unsupported version (the message names the file).</exception>
    public static StoredFactorizationModel Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Model file '{path}' does not exist.", path);
        byte[] bytes;
        try
        {
            using var zip = ZipFile.OpenRead(path);
            var entry = zip.GetEntry(EntryName)
                ?? throw new InvalidDataException($"'{path}' has no entry '{EntryName}': it is not a DeskdropML factorization model zip (write one with FactorizationModelZip.Save).");
            using var stream = entry.Open();
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            bytes = buffer.ToArray();
        }
        catch (InvalidDataException e) when (!e.Message.Contains(path, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"'{path}' is not a readable zip file: {e.Message}", e);
        }
        return FactorizationModelBinary.Read(bytes, $"'{path}' entry '{EntryName}'");
    }

    /// <summary>
    /// Loads the typed model of a zip written by <see cref="Save"/> and rebuilds the scoring transformer from it
    /// (same column names, packed vectors, training matrix and fallback scores as when saved).
    /// </summary>
    public static FactorizationScoringTransformer LoadTransformer(MLContext mlContext, string path)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        var stored = Load(path);
        return new FactorizationScoringTransformer(mlContext, stored, stored.TrainingInteractions, stored.FallbackScores.ToArray(),
            stored.UserIdColumnName, stored.ItemIdColumnName, stored.ModelKind);
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

    private static FactorizationScoringTransformer? FindScoringTransformer(ITransformer model)
    {
        if (model is FactorizationScoringTransformer scoring) return scoring;
        FactorizationScoringTransformer? found = null;
        if (model is IEnumerable<ITransformer> chain)
            foreach (var inner in chain)
                found = FindScoringTransformer(inner) ?? found;
        return found;
    }
}
