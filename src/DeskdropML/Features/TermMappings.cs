using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace DeskdropML.Features;

/// <summary>Column names used inside the item text featurizer chain.</summary>
internal static class TextColumns
{
    public const string ItemId = "ItemId";
    public const string Title = "Title";
    public const string Text = "Text";
    public const string Lang = "Lang";
    public const string TitleAndText = "DdTitleAndText";
    public const string Normalized = "DdNormalized";
    public const string Tokens = "DdTokens";
    public const string Terms = "DdTerms";
    public const string TermKeys = "DdTermKeys";
    public const string TermCounts = "TermCounts";
    public const string MlNetTfIdf = "DdMlNetTfIdf";
    public const string Features = "Features";
}

/// <summary>Input row of the raw-preset term mapping: the word tokens of title and text.</summary>
public sealed class TokensRow
{
    /// <summary>Lower-cased word tokens (ML.NET <c>TokenizeIntoWords</c> output).</summary>
    [ColumnName(TextColumns.Tokens)]
    public VBuffer<ReadOnlyMemory<char>> Tokens;
}

/// <summary>Input row of the clean-preset term mapping: the word tokens and the article language.</summary>
public sealed class LanguageTokensRow
{
    /// <summary>Lower-cased word tokens (ML.NET <c>TokenizeIntoWords</c> output), accents kept.</summary>
    [ColumnName(TextColumns.Tokens)]
    public VBuffer<ReadOnlyMemory<char>> Tokens;

    /// <summary>The article language code (<c>en</c>, <c>pt</c>, <c>es</c>; anything else: no stop words, no stemming).</summary>
    [ColumnName(TextColumns.Lang)]
    public string? Lang;
}

/// <summary>Output row of the term mappings: the terms that get counted.</summary>
public sealed class TermsRow
{
    /// <summary>The terms of one article, in text order, repeated as often as they occur.</summary>
    [ColumnName(TextColumns.Terms)]
    public VBuffer<ReadOnlyMemory<char>> Terms;
}

/// <summary>
/// Stateless ML.NET mapping of the <see cref="TextFeaturePreset.Raw"/> preset (contract <c>DeskdropML.RawTerms.v1</c>):
/// tokens -> maximal runs of word characters of length at least 2.
/// </summary>
[CustomMappingFactoryAttribute(ContractName)]
public sealed class RawTermsMappingFactory : CustomMappingFactory<TokensRow, TermsRow>
{
    /// <summary>The contract name recorded in model zips; keep it (and its behaviour) so old zips load.</summary>
    public const string ContractName = "DeskdropML.RawTerms.v1";

    [ThreadStatic] private static List<ReadOnlyMemory<char>>? t_terms;

    /// <summary>The mapping action.</summary>
    public static void Map(TokensRow input, TermsRow output)
    {
        var terms = t_terms ??= new List<ReadOnlyMemory<char>>();
        terms.Clear();
        foreach (var token in input.Tokens.DenseValues())
            TermAnalysis.AppendRawTerms(token.Span, terms);
        output.Terms = new VBuffer<ReadOnlyMemory<char>>(terms.Count, terms.ToArray());
    }

    /// <inheritdoc />
    public override Action<TokensRow, TermsRow> GetMapping() => Map;
}

/// <summary>
/// Stateless ML.NET mapping of the <see cref="TextFeaturePreset.Clean"/> preset (contract
/// <c>DeskdropML.CleanTerms.v1</c>): per row, stop words of the row's language removed, stemmed, accents folded.
/// </summary>
[CustomMappingFactoryAttribute(ContractName)]
public sealed class CleanTermsMappingFactory : CustomMappingFactory<LanguageTokensRow, TermsRow>
{
    /// <summary>The contract name recorded in model zips; keep it (and its behaviour) so old zips load.</summary>
    public const string ContractName = "DeskdropML.CleanTerms.v1";

    [ThreadStatic] private static List<ReadOnlyMemory<char>>? t_terms;

    /// <summary>The mapping action.</summary>
    public static void Map(LanguageTokensRow input, TermsRow output)
    {
        var terms = t_terms ??= new List<ReadOnlyMemory<char>>();
        terms.Clear();
        var language = TermAnalysis.ParseLanguage(input.Lang);
        foreach (var token in input.Tokens.DenseValues())
            TermAnalysis.AppendCleanTerms(token.Span, language, terms);
        output.Terms = new VBuffer<ReadOnlyMemory<char>>(terms.Count, terms.ToArray());
    }

    /// <inheritdoc />
    public override Action<LanguageTokensRow, TermsRow> GetMapping() => Map;
}
