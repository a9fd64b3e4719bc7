namespace DeskdropML.Recommending;

/// <summary>
/// A model that tells, per user, whether it learned anything from that user's training interactions. This one
/// answer decides the cold-user fallback everywhere (<see cref="ColdUserFallbackModel"/>, <see cref="Recommender"/>,
/// the per-row scores of <see cref="FactorizationScoringTransformer"/>): a user for whom it is false is ranked by the
/// fallback scores (popularity), never by untrained parameters. Models that do not implement this interface are
/// asked nothing: their warm users are those with a stored entry in the training matrix.
/// </summary>
public interface IWarmUserModel : IRecommenderModel
{
    /// <summary>
    /// True when the model has training interactions for the user that it can rank with: for factorization
    /// trainers at least one stored training entry; for the content model a non-zero text profile (an interaction
    /// on an item without text, or with weight 0, teaches it nothing).
    /// </summary>
    bool HasTrainingInteractions(int userIndex);
}
