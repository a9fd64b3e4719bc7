using DeskdropML.Sparse;

namespace DeskdropML.Recommending;

/// <summary>
/// A trained model that scores every item of its catalogue for a user. Implemented by every trainer's
/// model (popularity, WARP, ALS, content) so that top-k, evaluation and the command line share one path.
/// </summary>
public interface IRecommenderModel
{
    /// <summary>The users the model knows, in index order.</summary>
    IdMap Users { get; }

    /// <summary>The item catalogue the model scores, in index order.</summary>
    IdMap Items { get; }

    /// <summary>
    /// Writes the score of every item (index order of <see cref="Items"/>) for the user with index
    /// <paramref name="userIndex"/> into <paramref name="scores"/> (length <c>Items.Count</c>).
    /// Higher is better. Must be safe to call from several threads at once.
    /// </summary>
    void ScoreItems(int userIndex, Span<float> scores);
}
