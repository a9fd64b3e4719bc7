namespace DeskdropML.Data;

/// <summary>One shared article from a Deskdrop <c>shared_articles.csv</c>.</summary>
/// <param name="ContentId">The item id (matches <c>contentId</c> of the interactions).</param>
/// <param name="EventType"><c>CONTENT SHARED</c> or <c>CONTENT REMOVED</c>.</param>
/// <param name="Timestamp">When the article was shared (Unix seconds); null when the file leaves it empty (some rows of the partial copy do).</param>
/// <param name="Title">Article title (may be empty).</param>
/// <param name="Text">Article text (may be empty).</param>
/// <param name="Lang">Language code such as <c>en</c>, <c>pt</c>, <c>es</c> (may be empty).</param>
/// <param name="Url">Article URL (may be empty).</param>
public sealed record Article(string ContentId, string EventType, long? Timestamp, string Title, string Text, string Lang, string Url)
{
    /// <summary>True when the article has a non-empty text.</summary>
    public bool HasText => !string.IsNullOrWhiteSpace(Text);
}
