namespace DeskdropML.Features;

/// <summary>How <see cref="ItemTextFeaturizer"/> turns an article into terms.</summary>
public enum TextFeaturePreset
{
    /// <summary>
    /// Like scikit-learn's <c>TfidfVectorizer</c> defaults: title + " " + text, lower-cased, tokens are maximal runs
    /// of word characters (letters, digits, underscore) of length at least 2; no stop words, no stemming.
    /// </summary>
    Raw = 0,

    /// <summary>
    /// Lower case; tokens are maximal runs of letters and digits of length at least 2 (punctuation splits
    /// tokens and is dropped); digits-only tokens dropped; stop words of the article's language removed
    /// (Lucene's <c>EnglishAnalyzer</c>, <c>PortugueseAnalyzer</c> and <c>SpanishAnalyzer</c> default sets, matched
    /// before stemming with accents kept); stemmed (English: the Porter algorithm, through Lucene's public Snowball
    /// port — the same algorithm as <c>EnglishAnalyzer</c>'s <c>PorterStemFilter</c>, chosen over
    /// <c>EnglishMinimalStemmer</c>, which only strips plurals and leaves "recommended" apart from "recommendations";
    /// Portuguese and Spanish: Lucene's light stemmers); then accents folded to ASCII (Lucene's
    /// <c>ASCIIFoldingFilter</c>). Other or missing languages: no stop words and no stemming, accents still folded.
    /// </summary>
    Clean = 1,
}
