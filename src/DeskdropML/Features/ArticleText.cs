namespace DeskdropML.Features;

/// <summary>
/// One article as input to <see cref="ItemTextFeaturizer"/>: the item it describes and its text.
/// As an ML.NET row the four properties become the text columns <c>ItemId</c>, <c>Title</c>, <c>Text</c> and
/// <c>Lang</c>; a <c>null</c> string is read as empty text.
/// </summary>
public sealed class ArticleText
{
    /// <summary>The item (content) id the article describes, e.g. Deskdrop's <c>contentId</c>.</summary>
    public string ItemId { get; set; } = "";

    /// <summary>The article title; may be null or empty.</summary>
    public string? Title { get; set; }

    /// <summary>The article body; may be null or empty.</summary>
    public string? Text { get; set; }

    /// <summary>
    /// The article language as an ISO 639-1 code such as <c>en</c>, <c>pt</c>, <c>es</c> (a region suffix such as
    /// <c>pt-BR</c> is allowed); null, empty or unknown languages get no stop words and no stemming.
    /// </summary>
    public string? Lang { get; set; }

    /// <summary>The featurizer input for a loaded Deskdrop article (<c>contentId</c>, title, text, lang).</summary>
    public static ArticleText From(Data.Article article)
    {
        ArgumentNullException.ThrowIfNull(article);
        return new ArticleText { ItemId = article.ContentId, Title = article.Title, Text = article.Text, Lang = article.Lang };
    }
}
