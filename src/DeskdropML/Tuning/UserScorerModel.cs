using DeskdropML.Evaluation;
using DeskdropML.Recommending;
using DeskdropML.Sparse;

namespace DeskdropML.Tuning;

/// <summary>
/// Adapts a bare <see cref="UserScorer"/> (with the user and item maps it indexes) to <see cref="IRecommenderModel"/>,
/// so that a <see cref="TrialFit"/> can return a scorer: <c>return new UserScorerModel(split.Users, split.Items, scorer);</c>
/// </summary>
public sealed class UserScorerModel : IRecommenderModel
{
    private readonly UserScorer _scorer;

    /// <summary>Wraps a scorer. It must be thread-safe (the evaluator calls it from several threads).</summary>
    public UserScorerModel(IdMap users, IdMap items, UserScorer scorer)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(scorer);
        Users = users;
        Items = items;
        _scorer = scorer;
    }

    /// <inheritdoc />
    public IdMap Users { get; }

    /// <inheritdoc />
    public IdMap Items { get; }

    /// <inheritdoc />
    public void ScoreItems(int userIndex, Span<float> scores) => _scorer(userIndex, scores);
}
