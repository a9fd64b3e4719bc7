using DeskdropML.Recommending;
using DeskdropML.Sparse;
using Microsoft.ML;

namespace DeskdropML.Baselines;

/// <summary>
/// A fitted ML.NET transformer as a recommender model (built by <see cref="EstimatorRecommender.Fit"/>): the top-k
/// lists taken while every (user, item) pair was scored, and the transformer for full score rows on demand.
/// </summary>
/// <remarks>
/// <para><b>Memory model</b> (U users, I items, k kept per user): <c>U × (8k + 5)</c> bytes (top-k items and scores,
/// list lengths, the warm-user flags) plus the transformer. No users × items grid is kept.</para>
/// <para><b>Full rows.</b> <see cref="ScoreItems"/> and <see cref="UserScores"/> push the user's row of the grid
/// (1 × I pairs) through the transformer again: <c>I × 4</c> bytes and one ML.NET cursor per call, the same values as
/// during the fit (a scoring transformer maps rows one to one), at the transformer's per-row cost. Thread-safe.</para>
/// </remarks>
public sealed class EstimatorRecommenderModel : IRecommenderModel
{
    private readonly BlockScorer _scorer;
    private readonly UserTopLists _top;
    private readonly bool[] _hasTraining;

    internal EstimatorRecommenderModel(IdMap users, IdMap items, BlockScorer scorer, UserTopLists top, bool[] hasTraining, ITransformer transformer,
        double fitSeconds, double scoringSeconds)
    {
        FitSeconds = fitSeconds;
        ScoringSeconds = scoringSeconds;
        Users = users;
        Items = items;
        _scorer = scorer;
        _top = top;
        _hasTraining = hasTraining;
        Transformer = transformer;
    }

    /// <inheritdoc />
    public IdMap Users { get; }

    /// <inheritdoc />
    public IdMap Items { get; }

    /// <summary>Wall seconds of building the training rows and fitting the estimator.</summary>
    public double FitSeconds { get; }

    /// <summary>Wall seconds of scoring every (user, item) pair through the transformer and selecting the top-k lists.</summary>
    public double ScoringSeconds { get; }

    /// <summary>The fitted ML.NET transformer (consumes the harness's id columns, produces the score column).</summary>
    public ITransformer Transformer { get; }

    /// <summary>Most items kept per user (<c>min(Options.TopK, Items.Count)</c>).</summary>
    public int TopK => _top.K;

    /// <summary>
    /// The user's top items (indices into <see cref="Items"/>), best first: descending score, ties by lower index,
    /// NaN last; train items left out when the harness excluded them. Shorter than <see cref="TopK"/> when fewer items
    /// were eligible.
    /// </summary>
    public ReadOnlySpan<int> TopItems(int userIndex) => _top.Items(CheckUser(userIndex));

    /// <summary>The scores of <see cref="TopItems"/> (NaN reported as negative infinity).</summary>
    public ReadOnlySpan<float> TopScores(int userIndex) => _top.Scores(CheckUser(userIndex));

    /// <summary>The transformer's score of every item for a user (index order of <see cref="Items"/>), computed on demand (a new array).</summary>
    public ReadOnlySpan<float> UserScores(int userIndex)
    {
        var scores = new float[Items.Count];
        _scorer.Score(CheckUser(userIndex), 1, scores);
        return scores;
    }

    /// <summary>True when the user had at least one training pair.</summary>
    public bool HasTrainingInteractions(int userIndex) => _hasTraining[userIndex];

    /// <inheritdoc />
    public void ScoreItems(int userIndex, Span<float> scores)
    {
        if (scores.Length != Items.Count)
            throw new ArgumentException($"scores has length {scores.Length}; it must hold one score per item ({Items.Count}).", nameof(scores));
        _scorer.Score(CheckUser(userIndex), 1, scores);
    }

    private int CheckUser(int userIndex)
    {
        if ((uint)userIndex >= (uint)Users.Count)
            throw new ArgumentOutOfRangeException(nameof(userIndex), userIndex, $"User index must be in [0, {Users.Count}).");
        return userIndex;
    }
}
