using System.Globalization;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.Es;
using Lucene.Net.Analysis.Miscellaneous;
using Lucene.Net.Analysis.Pt;
using Lucene.Net.Analysis.Util;
using SnowballPorterStemmer = Lucene.Net.Tartarus.Snowball.Ext.PorterStemmer;

namespace DeskdropML.Features;

/// <summary>Languages with their own stop words and stemmer in the <see cref="TextFeaturePreset.Clean"/> preset.</summary>
internal enum ArticleLanguage
{
    /// <summary>Missing or unsupported language: no stop words, no stemming.</summary>
    Other = 0,
    English,
    Portuguese,
    Spanish,
}

/// <summary>
/// The per-token work of both presets: splitting normalized tokens into terms, stop words, stemming and accent
/// folding. Stateless from the caller's view and safe to call from several threads (stateful Lucene stemmers
/// are kept per thread).
/// </summary>
internal static class TermAnalysis
{
    private static readonly CharArraySet s_englishStopWords = EnglishAnalyzer.DefaultStopSet;
    private static readonly CharArraySet s_portugueseStopWords = PortugueseAnalyzer.DefaultStopSet;
    private static readonly CharArraySet s_spanishStopWords = SpanishAnalyzer.DefaultStopSet;
    private static readonly PortugueseLightStemmer s_portugueseStemmer = new();
    private static readonly SpanishLightStemmer s_spanishStemmer = new();

    [ThreadStatic] private static SnowballPorterStemmer? t_porter;
    [ThreadStatic] private static char[]? t_word;
    [ThreadStatic] private static char[]? t_folded;

    /// <summary>Shortest term kept (scikit-learn's default token pattern keeps two or more word characters).</summary>
    public const int MinimumTermLength = 2;

    /// <summary>
    /// Maps a language code to the supported language: the part before '-' or '_' compared case-insensitively
    /// with <c>en</c>, <c>pt</c>, <c>es</c>; anything else (including null or empty) is <see cref="ArticleLanguage.Other"/>.
    /// </summary>
    public static ArticleLanguage ParseLanguage(ReadOnlySpan<char> code)
    {
        code = code.Trim();
        int cut = code.IndexOfAny('-', '_');
        if (cut >= 0) code = code[..cut];
        if (code.Equals("en", StringComparison.OrdinalIgnoreCase)) return ArticleLanguage.English;
        if (code.Equals("pt", StringComparison.OrdinalIgnoreCase)) return ArticleLanguage.Portuguese;
        if (code.Equals("es", StringComparison.OrdinalIgnoreCase)) return ArticleLanguage.Spanish;
        return ArticleLanguage.Other;
    }

    /// <summary>
    /// Raw preset: appends the maximal runs of word characters (letters, digits, combining marks, '_') of length
    /// at least <see cref="MinimumTermLength"/>, unchanged.
    /// </summary>
    public static void AppendRawTerms(ReadOnlySpan<char> token, List<ReadOnlyMemory<char>> terms)
    {
        int start = -1;
        for (int i = 0; i <= token.Length; i++)
        {
            bool word = i < token.Length && (IsLetterDigitOrMark(token[i]) || token[i] == '_');
            if (word)
            {
                if (start < 0) start = i;
            }
            else if (start >= 0)
            {
                if (i - start >= MinimumTermLength) terms.Add(token[start..i].ToString().AsMemory());
                start = -1;
            }
        }
    }

    /// <summary>
    /// Clean preset: splits <paramref name="token"/> into maximal runs of letters, digits and combining marks,
    /// drops runs shorter than <see cref="MinimumTermLength"/>, digits-only runs and stop words of
    /// <paramref name="language"/>, stems the rest with the language's stemmer, folds accents to ASCII and
    /// appends the result.
    /// </summary>
    public static void AppendCleanTerms(ReadOnlySpan<char> token, ArticleLanguage language, List<ReadOnlyMemory<char>> terms)
    {
        int start = -1;
        for (int i = 0; i <= token.Length; i++)
        {
            bool word = i < token.Length && IsLetterDigitOrMark(token[i]);
            if (word)
            {
                if (start < 0) start = i;
            }
            else if (start >= 0)
            {
                AppendCleanWord(token[start..i], language, terms);
                start = -1;
            }
        }
    }

    private static void AppendCleanWord(ReadOnlySpan<char> word, ArticleLanguage language, List<ReadOnlyMemory<char>> terms)
    {
        if (word.Length < MinimumTermLength || IsDigitsOnly(word)) return;
        char[] buffer = Rent(ref t_word, word.Length);
        word.CopyTo(buffer);
        int length = word.Length;
        CharArraySet? stopWords = language switch
        {
            ArticleLanguage.English => s_englishStopWords,
            ArticleLanguage.Portuguese => s_portugueseStopWords,
            ArticleLanguage.Spanish => s_spanishStopWords,
            _ => null,
        };
        if (stopWords is not null && stopWords.Contains(buffer, 0, length)) return;

        switch (language)
        {
            case ArticleLanguage.English:
                // Lucene's own PorterStemmer class is internal; the Snowball port of the same Porter (1980)
                // algorithm is public and is what EnglishAnalyzer's PorterStemFilter computes.
                var porter = t_porter ??= new SnowballPorterStemmer();
                porter.SetCurrent(buffer, length);
                porter.Stem();
                length = porter.CurrentBufferLength;
                buffer = Rent(ref t_word, length);
                porter.CurrentBuffer.AsSpan(0, length).CopyTo(buffer);
                break;
            case ArticleLanguage.Portuguese:
                length = s_portugueseStemmer.Stem(buffer, length);
                break;
            case ArticleLanguage.Spanish:
                length = s_spanishStemmer.Stem(buffer, length);
                break;
        }

        // Fold accents after stemming: the Portuguese/Spanish stemmers match accented suffixes.
        char[] folded = Rent(ref t_folded, 4 * length);
        int foldedLength = ASCIIFoldingFilter.FoldToASCII(buffer, 0, folded, 0, length);
        // Lucene folds precomposed letters only; drop combining marks left by decomposed (NFD) text.
        int kept = 0;
        for (int i = 0; i < foldedLength; i++)
            if (!IsCombiningMark(folded[i])) folded[kept++] = folded[i];
        foldedLength = kept;
        if (foldedLength < MinimumTermLength || IsDigitsOnly(folded.AsSpan(0, foldedLength))) return;
        terms.Add(new string(folded, 0, foldedLength).AsMemory());
    }

    private static bool IsLetterDigitOrMark(char c)
    {
        if (char.IsLetterOrDigit(c)) return true;
        var category = CharUnicodeInfo.GetUnicodeCategory(c);
        return category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;
    }

    private static bool IsCombiningMark(char c) =>
        CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark;

    private static bool IsDigitsOnly(ReadOnlySpan<char> word)
    {
        foreach (char c in word)
            if (!char.IsDigit(c)) return false;
        return true;
    }

    private static char[] Rent(ref char[]? slot, int length)
    {
        if (slot is null || slot.Length < length) slot = new char[Math.Max(64, length * 2)];
        return slot;
    }
}
