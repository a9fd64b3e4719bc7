using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using Microsoft.ML.Transforms.Text;

namespace DeskdropML.Features;

/// <summary>
/// ML.NET estimator that learns a TF-IDF vocabulary over articles (columns <c>ItemId</c>, <c>Title</c>,
/// <c>Text</c>, <c>Lang</c>, all text) and produces a sparse, L2-normalised term vector per article in the
/// column <c>Features</c> (plus the raw counts in <c>TermCounts</c>, whose slot names are the vocabulary).
/// </summary>
/// <remarks>
/// <para>The chain is made only of ML.NET transforms and stateless custom mappings, so the fitted transformer
/// saves into and loads from an ML.NET model zip:
/// <c>Concatenate(Title, Text)</c> -> <c>NormalizeText</c> (lower case, diacritics, punctuation and digits kept)
/// -> <c>TokenizeIntoWords</c> (white space) -> term mapping of the preset (<see cref="TextFeaturePreset"/>;
/// per-row stop words and stemming for <see cref="TextFeaturePreset.Clean"/>) -> <c>MapValueToKey</c> ->
/// <c>ProduceNgrams</c> (unigrams; <c>Tf</c> and <c>TfIdf</c>) -> <see cref="SmoothTfIdfMappingFactory"/>
/// (smooth idf and L2 normalisation; ML.NET's <c>NormalizeLpNorm</c> rejects the variable-size vectors a custom
/// mapping outputs).</para>
/// <para>Weights follow scikit-learn's <c>TfidfVectorizer</c> defaults: for term t in document d of a corpus of n
/// documents, <c>w(t, d) = tf(t, d) * idf(t)</c> with the smooth idf <c>idf(t) = ln((1 + n) / (1 + df(t))) + 1</c>,
/// then each row is divided by its L2 norm. With <see cref="Options.SublinearTf"/>, tf is replaced by
/// <c>1 + ln tf</c>. ML.NET's own <c>TfIdf</c> weighting computes <c>tf * ln(n / df)</c> — no smoothing and no
/// "+ 1", so a term present in every document gets weight 0 — which is why the featurizer fits ML.NET's idf on the
/// corpus plus one document holding every term once and shifts the result (see
/// <see cref="SmoothTfIdfMappingFactory"/>).</para>
/// <para>An article with no terms gets an all-zero (empty) vector. The language column is read only by the
/// <see cref="TextFeaturePreset.Clean"/> preset. The vocabulary and document frequencies come only from the
/// article text given to <see cref="Fit(IDataView)"/>, never from interactions.</para>
/// </remarks>
public sealed class ItemTextFeaturizer : IEstimator<ItemTextFeaturizerTransformer>
{
    /// <summary>Options of <see cref="ItemTextFeaturizer"/>.</summary>
    public sealed class Options
    {
        /// <summary>How articles become terms. Default: <see cref="TextFeaturePreset.Raw"/>.</summary>
        public TextFeaturePreset Preset = TextFeaturePreset.Raw;

        /// <summary>
        /// Use sublinear term frequency <c>1 + ln tf</c> instead of tf (scikit-learn's <c>sublinear_tf</c>).
        /// Default: false.
        /// </summary>
        public bool SublinearTf;
    }

    private static readonly char[] s_separators = [' ', '\t', '\n', '\r', '\f', '\v', '\u00a0'];

    private readonly MLContext _mlContext;
    private readonly Options _options;

    /// <summary>Creates the estimator.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The preset is not a defined <see cref="TextFeaturePreset"/>.</exception>
    public ItemTextFeaturizer(MLContext mlContext, Options? options = null)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        options ??= new Options();
        if (!Enum.IsDefined(options.Preset))
            throw new ArgumentOutOfRangeException(nameof(options), options.Preset, "Preset must be Raw or Clean.");
        _mlContext = mlContext;
        _options = new Options { Preset = options.Preset, SublinearTf = options.SublinearTf };
        _mlContext.ComponentCatalog.RegisterAssembly(typeof(ItemTextFeaturizer).Assembly);
    }

    /// <summary>Fits on articles given as objects.</summary>
    public ItemTextFeaturizerTransformer Fit(IEnumerable<ArticleText> articles)
    {
        ArgumentNullException.ThrowIfNull(articles);
        return Fit(_mlContext.Data.LoadFromEnumerable(articles));
    }

    /// <summary>Learns the vocabulary and document frequencies of the articles in <paramref name="input"/>.</summary>
    /// <exception cref="ArgumentException">A required column is missing or not text, there are no rows, or no
    /// article has a single term.</exception>
    public ItemTextFeaturizerTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckInputSchema(input.Schema, _options.Preset);

        var termTransformer = BuildTermPipeline().Fit(input);
        var (augmented, documents) = AppendAllTermsDocument(termTransformer.Transform(input));
        if (documents == 0)
            throw new ArgumentException("The article data has no rows; the featurizer needs at least one article.", nameof(input));

        var counting = BuildCounting();
        var countTransformer = counting.Fit(augmented);

        var weighting = BuildWeighting();
        var counted = countTransformer.Transform(termTransformer.Transform(input));
        var weightTransformer = weighting.Fit(counted);

        var chain = new TransformerChain<ITransformer>(termTransformer, countTransformer, weightTransformer);
        var result = new ItemTextFeaturizerTransformer(_mlContext, chain, input.Schema);
        if (result.Vocabulary.Count == 0)
            throw new ArgumentException("No article has a single term; the vocabulary would be empty.", nameof(input));
        return result;
    }

    /// <summary>
    /// The output schema: the input columns plus <c>TermCounts</c> (float vector whose slot names are the
    /// vocabulary) and <c>Features</c> (float vector), as declared by the same chain of ML.NET estimators that
    /// <see cref="Fit(IDataView)"/> fits piecewise.
    /// </summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        foreach (var name in RequiredColumns(_options.Preset))
        {
            SchemaShape.Column? found = null;
            foreach (var column in inputSchema)
                if (column.Name == name) found = column;
            if (found is not SchemaShape.Column c)
                throw new ArgumentException($"Input column '{name}' is missing; the featurizer needs text columns {string.Join(", ", RequiredColumns(_options.Preset))}.", nameof(inputSchema));
            if (c.Kind != SchemaShape.Column.VectorKind.Scalar || c.ItemType is not TextDataViewType)
                throw new ArgumentException($"Input column '{name}' must be a text scalar.", nameof(inputSchema));
        }
        return BuildTermPipeline().Append(BuildCounting()).Append(BuildWeighting()).GetOutputSchema(inputSchema);
    }

    private IEstimator<ITransformer> BuildCounting() =>
        _mlContext.Transforms.Conversion.MapValueToKey(TextColumns.TermKeys, TextColumns.Terms)
            .Append(_mlContext.Transforms.Text.ProduceNgrams(TextColumns.TermCounts, TextColumns.TermKeys,
                ngramLength: 1, useAllLengths: false, weighting: NgramExtractingEstimator.WeightingCriteria.Tf))
            .Append(_mlContext.Transforms.Text.ProduceNgrams(TextColumns.MlNetTfIdf, TextColumns.TermKeys,
                ngramLength: 1, useAllLengths: false, weighting: NgramExtractingEstimator.WeightingCriteria.TfIdf));

    private IEstimator<ITransformer> BuildWeighting()
    {
        IEstimator<ITransformer> reweight = _options.SublinearTf
            ? _mlContext.Transforms.CustomMapping<TermCountsRow, TermWeightsRow>(SublinearTfIdfMappingFactory.Map, SublinearTfIdfMappingFactory.ContractName)
            : _mlContext.Transforms.CustomMapping<TermCountsRow, TermWeightsRow>(SmoothTfIdfMappingFactory.Map, SmoothTfIdfMappingFactory.ContractName);
        return reweight.Append(_mlContext.Transforms.DropColumns(
                TextColumns.TitleAndText, TextColumns.Normalized, TextColumns.Tokens, TextColumns.Terms,
                TextColumns.TermKeys, TextColumns.MlNetTfIdf));
    }

    private IEstimator<ITransformer> BuildTermPipeline()
    {
        var text = _mlContext.Transforms.Concatenate(TextColumns.TitleAndText, TextColumns.Title, TextColumns.Text)
            .Append(_mlContext.Transforms.Text.NormalizeText(TextColumns.Normalized, TextColumns.TitleAndText,
                TextNormalizingEstimator.CaseMode.Lower, keepDiacritics: true, keepPunctuations: true, keepNumbers: true))
            .Append(_mlContext.Transforms.Text.TokenizeIntoWords(TextColumns.Tokens, TextColumns.Normalized, s_separators));
        return _options.Preset == TextFeaturePreset.Clean
            ? text.Append(_mlContext.Transforms.CustomMapping<LanguageTokensRow, TermsRow>(CleanTermsMappingFactory.Map, CleanTermsMappingFactory.ContractName))
            : text.Append(_mlContext.Transforms.CustomMapping<TokensRow, TermsRow>(RawTermsMappingFactory.Map, RawTermsMappingFactory.ContractName));
    }

    /// <summary>
    /// Materialises the term column and appends one document that holds every distinct term once (the smoothing
    /// document of the idf; see the class remarks). Returns the augmented view and the number of real documents.
    /// </summary>
    private (IDataView Augmented, int Documents) AppendAllTermsDocument(IDataView terms)
    {
        var rows = new List<TermsRow>();
        var distinct = new HashSet<string>(StringComparer.Ordinal);
        var column = terms.Schema[TextColumns.Terms];
        using (var cursor = terms.GetRowCursor(new[] { column }))
        {
            var getter = cursor.GetGetter<VBuffer<ReadOnlyMemory<char>>>(column);
            VBuffer<ReadOnlyMemory<char>> buffer = default;
            while (cursor.MoveNext())
            {
                getter(ref buffer);
                var copy = new ReadOnlyMemory<char>[buffer.Length];
                int i = 0;
                foreach (var term in buffer.DenseValues())
                {
                    string s = term.ToString();
                    distinct.Add(s);
                    copy[i++] = s.AsMemory();
                }
                rows.Add(new TermsRow { Terms = new VBuffer<ReadOnlyMemory<char>>(copy.Length, copy) });
            }
        }
        int documents = rows.Count;
        var all = distinct.ToArray();
        Array.Sort(all, StringComparer.Ordinal);
        var allMemory = Array.ConvertAll(all, s => s.AsMemory());
        rows.Add(new TermsRow { Terms = new VBuffer<ReadOnlyMemory<char>>(allMemory.Length, allMemory) });
        return (_mlContext.Data.LoadFromEnumerable(rows), documents);
    }

    private static string[] RequiredColumns(TextFeaturePreset preset) => preset == TextFeaturePreset.Clean
        ? [TextColumns.ItemId, TextColumns.Title, TextColumns.Text, TextColumns.Lang]
        : [TextColumns.ItemId, TextColumns.Title, TextColumns.Text];

    internal static void CheckInputSchema(DataViewSchema schema, TextFeaturePreset preset)
    {
        foreach (var name in RequiredColumns(preset))
        {
            var column = schema.GetColumnOrNull(name);
            if (column is null)
                throw new ArgumentException($"Input column '{name}' is missing; the featurizer needs text columns {string.Join(", ", RequiredColumns(preset))}.", "input");
            if (column.Value.Type is not TextDataViewType)
                throw new ArgumentException($"Input column '{name}' has type {column.Value.Type}; it must be text.", "input");
        }
    }
}
