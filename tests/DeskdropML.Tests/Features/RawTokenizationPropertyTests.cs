using System.Text.RegularExpressions;
using DeskdropML.Features;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace DeskdropML.Tests.Features;

public class RawTokenizationPropertyTests
{
    // Letters (with precomposed and combining accents), digits, '_', punctuation and spaces.
    private static readonly char[] s_alphabet = "abcXYZ019_ é ç\u0301 .,;'\"-()!?/".ToCharArray();

    private static Arbitrary<string> Texts() =>
        Gen.Elements(s_alphabet).ArrayOf().Select(chars => new string(chars)).ToArbitrary();

    [Property(MaxTest = 300)]
    public Property Raw_terms_equal_the_sklearn_token_pattern()
    {
        // scikit-learn's default token_pattern (?u)\b\w\w+\b; on this alphabet .NET's \w agrees with Python's.
        var pattern = new Regex(@"\b\w\w+\b");
        return Prop.ForAll(Texts(), text =>
        {
            var terms = new List<ReadOnlyMemory<char>>();
            TermAnalysis.AppendRawTerms(text, terms);
            var expected = pattern.Matches(text).Select(m => m.Value).ToArray();
            return terms.Select(t => t.ToString()).SequenceEqual(expected);
        });
    }

    [Property(MaxTest = 300)]
    public Property Clean_terms_of_latin_text_are_ascii_and_never_digits_only()
    {
        // Precomposed accents are folded by Lucene, combining marks (decomposed text) are dropped.
        return Prop.ForAll(Texts(), text =>
        {
            var terms = new List<ReadOnlyMemory<char>>();
            TermAnalysis.AppendCleanTerms(text.ToLowerInvariant(), ArticleLanguage.Portuguese, terms);
            return terms.All(t => t.Length >= 2 && t.Span.IndexOfAnyExceptInRange('\0', '\u007f') < 0 && !t.ToString().All(char.IsDigit));
        });
    }
}
