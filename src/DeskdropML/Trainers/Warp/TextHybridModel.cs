using System.Buffers.Binary;
using System.IO.Compression;
using DeskdropML.Features;
using DeskdropML.Persistence;
using DeskdropML.Recommending;
using Microsoft.ML;

namespace DeskdropML.Trainers.Warp;

/// <summary>
/// A hybrid WARP model with its fitted text featurizer: scores known items like any factorization model and folds in
/// brand-new articles from their title, text and language.
/// </summary>
/// <remarks>
/// A new article's packed vector is <c>[q, 1, b]</c> with <c>q = Σ_t x_t e_t</c> and <c>b = Σ_t x_t β_t</c> over its
/// text features t (the featurizer's TF-IDF values x_t, the trained text-feature embeddings e_t and biases β_t), so its
/// score for user u is <c>p_u · q + b_u + b</c> — what the trainer would give an item with those words and no
/// identity feature. One zip holds everything (<see cref="Save"/>): the ML.NET scoring chain and the typed model of
/// <see cref="FactorizationModelZip"/>, the featurizer's own ML.NET zip (entry <c>DeskdropML/featurizer.zip</c>) and
/// the text-feature parameters (entry <c>DeskdropML/text-features.bin</c>).
/// </remarks>
public sealed class TextHybridModel
{
    /// <summary>Zip entry holding the featurizer's ML.NET model.</summary>
    public const string FeaturizerEntryName = "DeskdropML/featurizer.zip";

    /// <summary>Zip entry holding the text-feature embeddings and biases.</summary>
    public const string TextFeaturesEntryName = "DeskdropML/text-features.bin";

    private const uint Magic = 0x54_48_44_44; // "DDHT"
    private const int Version = 1;

    private readonly float[] _blocks; // per text feature: [e_t (d values), β_t]

    private TextHybridModel(ItemTextFeaturizerTransformer featurizer, IFactorizationModel model, int dimension, float[] blocks)
    {
        Featurizer = featurizer;
        Model = model;
        Dimension = dimension;
        _blocks = blocks;
    }

    /// <summary>The fitted text featurizer.</summary>
    public ItemTextFeaturizerTransformer Featurizer { get; }

    /// <summary>The factorization model (scores known users and items).</summary>
    public IFactorizationModel Model { get; }

    /// <summary>Latent dimension.</summary>
    public int Dimension { get; }

    /// <summary>Number of text features (the featurizer's vocabulary size).</summary>
    public int TextFeatureCount => _blocks.Length / (Dimension + 1);

    /// <summary>
    /// Combines a fitted featurizer with a WARP model trained with that featurizer's item features as side features.
    /// </summary>
    /// <exception cref="ArgumentException">The model has no item side features, or their count differs from the
    /// featurizer's vocabulary.</exception>
    public static TextHybridModel Create(ItemTextFeaturizerTransformer featurizer, WarpModelParameters model)
    {
        ArgumentNullException.ThrowIfNull(featurizer);
        ArgumentNullException.ThrowIfNull(model);
        var side = model.ItemSideFeatures
            ?? throw new ArgumentException("The WARP model was trained without item side features; there is nothing to fold text into.", nameof(model));
        if (side.Columns != featurizer.Vocabulary.Count)
            throw new ArgumentException($"The model has {side.Columns} item side features but the featurizer has {featurizer.Vocabulary.Count} terms; train the model on this featurizer's output.", nameof(model));
        int d = model.Dimension;
        var blocks = new float[side.Columns * (d + 1)];
        var packed = new float[d + 2];
        for (int t = 0; t < side.Columns; t++)
        {
            model.ComputeItemRepresentation(new[] { t }, new[] { 1f }, packed);
            packed.AsSpan(0, d).CopyTo(blocks.AsSpan(t * (d + 1), d));
            blocks[t * (d + 1) + d] = packed[d + 1];
        }
        return new TextHybridModel(featurizer, model, d, blocks);
    }

    /// <summary>The packed vector <c>[q, 1, b]</c> (length <see cref="Dimension"/> + 2) of a new article.</summary>
    public float[] FoldInItem(string? title, string? text, string? lang)
    {
        var (indices, values) = Featurizer.FoldIn(title, text, lang);
        int d = Dimension;
        var packed = new float[d + 2];
        var q = packed.AsSpan(0, d);
        float bias = 0f;
        for (int k = 0; k < indices.Length; k++)
        {
            var block = _blocks.AsSpan(indices[k] * (d + 1), d + 1);
            System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(block.Slice(0, d), values[k], q, q);
            bias += values[k] * block[d];
        }
        packed[d] = 1f;
        packed[d + 1] = bias;
        return packed;
    }

    /// <summary>Score of a folded-in item (packed vector) for a known user: <c>p_u · q + b_u + b</c>.</summary>
    /// <exception cref="KeyNotFoundException">The user id is unknown.</exception>
    public float ScoreNewItem(string userId, ReadOnlySpan<float> packedItem)
    {
        if (!Model.Users.TryGetIndex(userId, out int u))
            throw new KeyNotFoundException($"User '{userId}' is not known to the model.");
        var user = new float[Dimension + 2];
        Model.GetPackedUserVector(u, user);
        return System.Numerics.Tensors.TensorPrimitives.Dot(user, packedItem);
    }

    /// <summary>
    /// Saves the scoring transformer (or a chain holding one) with <see cref="FactorizationModelZip.Save"/>, then adds
    /// the featurizer and the text-feature parameters to the same zip.
    /// </summary>
    public void Save(MLContext mlContext, ITransformer scoringModel, DataViewSchema inputSchema, string path)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        using var featurizerBytes = new MemoryStream();
        Featurizer.Save(featurizerBytes);
        // One atomic write: the zip appears complete with the featurizer and text-feature entries, or not at all.
        FactorizationModelZip.SaveWithEntries(mlContext, scoringModel, inputSchema, path, zip => AddTextEntries(zip, featurizerBytes.ToArray()));
    }

    private void AddTextEntries(ZipArchive zip, byte[] featurizer)
    {
        Write(zip, FeaturizerEntryName, featurizer);
        var header = new byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(header, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(4), Version);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(8), Dimension);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(12), TextFeatureCount);
        var body = new byte[_blocks.Length * sizeof(float)];
        for (int i = 0; i < _blocks.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(body.AsSpan(i * 4), _blocks[i]);
        Write(zip, TextFeaturesEntryName, [.. header, .. body]);
    }

    /// <summary>Loads a zip written by <see cref="Save"/>.</summary>
    /// <exception cref="InvalidDataException">An entry is missing or malformed (the message names the file).</exception>
    public static TextHybridModel Load(MLContext mlContext, string path)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        var model = FactorizationModelZip.Load(path);
        using var zip = ZipFile.OpenRead(path);
        byte[] featurizerBytes = Read(zip, FeaturizerEntryName, path);
        var featurizer = ItemTextFeaturizerTransformer.Load(mlContext, new MemoryStream(featurizerBytes));
        byte[] bytes = Read(zip, TextFeaturesEntryName, path);
        if (bytes.Length < 16 || BinaryPrimitives.ReadUInt32LittleEndian(bytes) != Magic)
            throw new InvalidDataException($"{path}: entry {TextFeaturesEntryName} is not a DeskdropML text-feature table.");
        int version = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4));
        if (version != Version)
            throw new InvalidDataException($"{path}: entry {TextFeaturesEntryName} has version {version}; this library reads version {Version}.");
        int d = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(8));
        int terms = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(12));
        if (d != model.Dimension || terms != featurizer.Vocabulary.Count || bytes.Length != 16 + (long)terms * (d + 1) * 4)
            throw new InvalidDataException($"{path}: entry {TextFeaturesEntryName} does not match the model ({d} vs {model.Dimension} dimensions, {terms} vs {featurizer.Vocabulary.Count} terms, {bytes.Length} bytes).");
        var blocks = new float[terms * (d + 1)];
        for (int i = 0; i < blocks.Length; i++) blocks[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(16 + i * 4));
        return new TextHybridModel(featurizer, model, d, blocks);
    }

    private static void Write(ZipArchive zip, string name, byte[] bytes)
    {
        zip.GetEntry(name)?.Delete();
        using var stream = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
        stream.Write(bytes);
    }

    private static byte[] Read(ZipArchive zip, string name, string path)
    {
        var entry = zip.GetEntry(name) ?? throw new InvalidDataException($"{path}: no entry {name}; was the zip written by TextHybridModel.Save?");
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
