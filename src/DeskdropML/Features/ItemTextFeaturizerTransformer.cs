using DeskdropML.Sparse;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeskdropML.Features;

/// <summary>
/// The fitted item text featurizer: an ML.NET transformer (adds <c>TermCounts</c> and <c>Features</c> to article
/// rows) with typed access to the vocabulary, conversion to a CSR item x term matrix and fold-in of new articles.
/// </summary>
/// <remarks>
/// All <see cref="ITransformer"/> members forward to <see cref="Chain"/>, a chain of ML.NET transforms and
/// stateless custom mappings, so <c>mlContext.Model.Save</c> writes a standard ML.NET zip. ML.NET's
/// <c>Model.Load</c> returns that plain chain; <see cref="Load(MLContext, string)"/> wraps it back into this type
/// (the vocabulary is read back from the slot names of <c>TermCounts</c>).
/// </remarks>
public sealed class ItemTextFeaturizerTransformer : ITransformer
{
    private readonly MLContext _mlContext;
    private readonly string[] _vocabulary;
    private readonly Dictionary<string, int> _termIndex;

    internal ItemTextFeaturizerTransformer(MLContext mlContext, ITransformer chain, DataViewSchema inputSchema)
    {
        _mlContext = mlContext;
        Chain = chain;
        var output = chain.GetOutputSchema(inputSchema);
        var counts = output.GetColumnOrNull(TextColumns.TermCounts)
            ?? throw new ArgumentException($"The transformer has no '{TextColumns.TermCounts}' output column; it is not an item text featurizer.", nameof(chain));
        if (output.GetColumnOrNull(TextColumns.Features) is null)
            throw new ArgumentException($"The transformer has no '{TextColumns.Features}' output column; it is not an item text featurizer.", nameof(chain));
        _vocabulary = new string[(counts.Type as VectorDataViewType)?.Size ?? 0];
        if (_vocabulary.Length > 0)
        {
            // ML.NET attaches no slot names to an empty vocabulary.
            VBuffer<ReadOnlyMemory<char>> slotNames = default;
            counts.GetSlotNames(ref slotNames);
            int i = 0;
            foreach (var name in slotNames.DenseValues())
                _vocabulary[i++] = name.ToString();
        }
        _termIndex = new Dictionary<string, int>(_vocabulary.Length, StringComparer.Ordinal);
        for (int t = 0; t < _vocabulary.Length; t++) _termIndex.TryAdd(_vocabulary[t], t);
    }

    /// <summary>The ML.NET chain this transformer forwards to.</summary>
    public ITransformer Chain { get; }

    /// <summary>The term of every feature column, in column order (the slot names of <c>TermCounts</c>).</summary>
    public IReadOnlyList<string> Vocabulary => _vocabulary;

    /// <summary>The feature column of a term, or -1 when the term is not in the vocabulary.</summary>
    public int TermIndex(string term)
    {
        ArgumentNullException.ThrowIfNull(term);
        return _termIndex.TryGetValue(term, out int t) ? t : -1;
    }

    /// <inheritdoc />
    public bool IsRowToRowMapper => Chain.IsRowToRowMapper;

    /// <inheritdoc />
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => Chain.GetOutputSchema(inputSchema);

    /// <inheritdoc />
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => Chain.GetRowToRowMapper(inputSchema);

    /// <inheritdoc />
    public IDataView Transform(IDataView input) => Chain.Transform(input);

    void ICanSaveModel.Save(ModelSaveContext ctx) => ((ICanSaveModel)Chain).Save(ctx);

    /// <summary>
    /// Builds the item x term matrix aligned with <paramref name="items"/>: row i is the feature vector of the
    /// article whose <c>ItemId</c> is <c>items[i]</c>; items without an article get an empty row; articles whose id
    /// is not in the map are skipped and counted; when an id appears more than once the last article wins.
    /// </summary>
    public ItemTextFeatures Featurize(IDataView articles, IdMap items)
    {
        ArgumentNullException.ThrowIfNull(articles);
        ArgumentNullException.ThrowIfNull(items);
        var transformed = Transform(articles);
        var idColumn = transformed.Schema.GetColumnOrNull(TextColumns.ItemId)
            ?? throw new ArgumentException($"Articles need an '{TextColumns.ItemId}' text column.", nameof(articles));
        if (idColumn.Type is not TextDataViewType)
            throw new ArgumentException($"Column '{TextColumns.ItemId}' has type {idColumn.Type}; it must be text.", nameof(articles));
        var featureColumn = transformed.Schema[TextColumns.Features];
        var rowIndices = new int[items.Count][];
        var rowValues = new float[items.Count][];
        int matched = 0, ignored = 0, duplicates = 0;
        using (var cursor = transformed.GetRowCursor(new[] { idColumn, featureColumn }))
        {
            var idGetter = cursor.GetGetter<ReadOnlyMemory<char>>(idColumn);
            var featureGetter = cursor.GetGetter<VBuffer<float>>(featureColumn);
            ReadOnlyMemory<char> id = default;
            VBuffer<float> features = default;
            while (cursor.MoveNext())
            {
                idGetter(ref id);
                if (!items.TryGetIndex(id.ToString(), out int item))
                {
                    ignored++;
                    continue;
                }
                if (rowIndices[item] is null) matched++; else duplicates++;
                featureGetter(ref features);
                (rowIndices[item], rowValues[item]) = CopyNonZeros(features);
            }
        }
        var pointers = new int[items.Count + 1];
        for (int r = 0; r < items.Count; r++) pointers[r + 1] = pointers[r] + (rowIndices[r]?.Length ?? 0);
        var columns = new int[pointers[items.Count]];
        var values = new float[columns.Length];
        for (int r = 0; r < items.Count; r++)
        {
            if (rowIndices[r] is null) continue;
            rowIndices[r].CopyTo(columns, pointers[r]);
            rowValues[r].CopyTo(values, pointers[r]);
        }
        var matrix = new CsrMatrix(items.Count, _vocabulary.Length, pointers, columns, values);
        return new ItemTextFeatures(matrix, items, _vocabulary, matched, ignored, duplicates);
    }

    /// <summary>Like <see cref="Featurize(IDataView, IdMap)"/> for articles given as objects.</summary>
    public ItemTextFeatures Featurize(IEnumerable<ArticleText> articles, IdMap items)
    {
        ArgumentNullException.ThrowIfNull(articles);
        return Featurize(_mlContext.Data.LoadFromEnumerable(articles), items);
    }

    /// <summary>
    /// The feature row of a new article with the fitted vocabulary and document frequencies (unknown terms are
    /// dropped; the row is L2-normalised over the known terms). Indices are ascending feature columns.
    /// </summary>
    public (int[] Indices, float[] Values) FoldIn(string? title, string? text, string? lang)
    {
        var one = _mlContext.Data.LoadFromEnumerable(new[] { new ArticleText { ItemId = "", Title = title, Text = text, Lang = lang } });
        var transformed = Transform(one);
        var featureColumn = transformed.Schema[TextColumns.Features];
        using var cursor = transformed.GetRowCursor(new[] { featureColumn });
        var getter = cursor.GetGetter<VBuffer<float>>(featureColumn);
        VBuffer<float> features = default;
        if (!cursor.MoveNext()) throw new InvalidOperationException("The one-row article view produced no row.");
        getter(ref features);
        return CopyNonZeros(features);
    }

    /// <summary>Saves the featurizer as an ML.NET model zip (input schema: <see cref="ArticleText"/>'s columns).</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Persistence.AtomicFile.Write(path, stream => _mlContext.Model.Save(this, ArticleSchema(_mlContext), stream));
    }

    /// <summary>Saves the featurizer as an ML.NET model zip into a stream.</summary>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _mlContext.Model.Save(this, ArticleSchema(_mlContext), stream);
    }

    /// <summary>Loads a featurizer saved by <see cref="Save(string)"/> (or by <c>mlContext.Model.Save</c>).</summary>
    public static ItemTextFeaturizerTransformer Load(MLContext mlContext, string path)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = File.OpenRead(path);
        return Load(mlContext, stream);
    }

    /// <summary>Loads a featurizer from a model zip stream.</summary>
    public static ItemTextFeaturizerTransformer Load(MLContext mlContext, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(stream);
        mlContext.ComponentCatalog.RegisterAssembly(typeof(ItemTextFeaturizerTransformer).Assembly);
        var chain = mlContext.Model.Load(stream, out var inputSchema);
        return new ItemTextFeaturizerTransformer(mlContext, chain, inputSchema ?? ArticleSchema(mlContext));
    }

    private static DataViewSchema ArticleSchema(MLContext mlContext) =>
        mlContext.Data.LoadFromEnumerable(Array.Empty<ArticleText>()).Schema;

    /// <summary>Copies the non-zero entries of a vector (dense or sparse) into new arrays, indices ascending.</summary>
    internal static (int[] Indices, float[] Values) CopyNonZeros(in VBuffer<float> vector)
    {
        var values = vector.GetValues();
        var indices = vector.GetIndices();
        int count = 0;
        foreach (float v in values) if (v != 0) count++;
        var outIndices = new int[count];
        var outValues = new float[count];
        int w = 0;
        for (int p = 0; p < values.Length; p++)
        {
            float v = values[p];
            if (v == 0) continue;
            if (float.IsNaN(v))
                throw new InvalidOperationException("The featurizer produced a NaN weight.");
            outIndices[w] = vector.IsDense ? p : indices[p];
            outValues[w] = v;
            w++;
        }
        return (outIndices, outValues);
    }
}
