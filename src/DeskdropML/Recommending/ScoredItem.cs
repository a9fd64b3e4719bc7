namespace DeskdropML.Recommending;

/// <summary>One recommended item and its score.</summary>
/// <param name="ItemId">The item's external id.</param>
/// <param name="Score">The model's score (or the fallback score, see <see cref="RecommendationList.IsFallback"/>).</param>
public readonly record struct ScoredItem(string ItemId, float Score);

/// <summary>The top-k items for one user, best first.</summary>
/// <param name="UserId">The user the list was made for.</param>
/// <param name="Items">The items, best first (ties broken by lower item index, i.e. ordinal item id order).</param>
/// <param name="IsFallback">True when the list comes from the fallback scores (popularity) because the user id is
/// unknown or the user had no training interactions; false when it comes from the model.</param>
public sealed record RecommendationList(string UserId, IReadOnlyList<ScoredItem> Items, bool IsFallback);
