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
    /// (Lucene's English, Portuguese and Spanish default sets); stemmed (Lucene's Porter stemmer for English,
    /// light stemmers for Portuguese and Spanish); then accents folded to ASCII.
    /// </summary>
    Clean = 1,
}
