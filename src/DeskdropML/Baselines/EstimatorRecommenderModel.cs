using DeskdropML.Recommending;
using DeskdropML.Sparse;
using Microsoft.ML;

namespace DeskdropML.Baselines;

/// <summary>
/// The scores an ML.NET transformer gave to every (user, item) pair, as a recommender model (built by
/// <see cref="EstimatorRecommender.Fit"/>). <c>ScoreItems</c> copies one precomputed row, so it is fast and thread-safe.
/// </summary>
public sealed class EstimatorRecommenderModel : IRecommenderModel
{
    private readonly float[] _scores;
    private readonly bool[] _hasTraining;

    internal EstimatorRecommenderModel(IdMap users, IdMap items, float[] scores, bool[] hasTraining, ITransformer transformer,
        double fitSeconds, double scoringSeconds)
    {
        FitSeconds = fitSeconds;
        ScoringSeconds = scoringSeconds;
        Users = users;
        Items = items;
        _scores = scores;
        _hasTraining = hasTraining;
        Transformer = transformer;
    }

    /// <inheritdoc />
    public IdMap Users { get; }

    /// <inheritdoc />
    public IdMap Items { get; }

    /// <summary>Wall seconds of building the training rows and fitting the estimator.</summary>
    public double FitSeconds { get; }

    /// <summary>Wall seconds of scoring every (user, item) pair through the transformer.</summary>
    public double ScoringSeconds { get; }

    /// <summary>The fitted ML.NET transformer (consumes the harness's id columns, produces the score column).</summary>
    public ITransformer Transformer { get; }

    /// <summary>The transformer's score of every item for a user (index order of <see cref="Items"/>).</summary>
    public ReadOnlySpan<float> UserScores(int userIndex)
    {
        if ((uint)userIndex >= (uint)Users.Count)
            throw new ArgumentOutOfRangeException(nameof(userIndex), userIndex, $"User index must be in [0, {Users.Count}).");
        return _scores.AsSpan(userIndex * Items.Count, Items.Count);
    }

    /// <summary>True when the user had at least one training pair.</summary>
    public bool HasTrainingInteractions(int userIndex) => _hasTraining[userIndex];

    /// <inheritdoc />
    public void ScoreItems(int userIndex, Span<float> scores)
    {
        if (scores.Length != Items.Count)
            throw new ArgumentException($"scores has length {scores.Length}; it must hold one score per item ({Items.Count}).", nameof(scores));
        UserScores(userIndex).CopyTo(scores);
    }
}
