using DeskdropML.Sparse;
using DeskdropML.Trainers.Popularity;

namespace DeskdropML.Recommending;

/// <summary>
/// Wraps a model so that users without any training interaction are ranked by popularity (number of distinct
/// training users per item) instead of by the model's untrained parameters; warm users keep the model's scores.
/// </summary>
/// <remarks>
/// The evaluation-time form of the fallback that <see cref="Recommender"/> applies for top-k: the tuner, the command
/// line and <c>reproduce</c> evaluate every trained model through it. In a time-carved split some users are cold (all
/// their pairs fall after the cut); ranking them by untrained factors would rank by noise or by item index.
/// </remarks>
public sealed class ColdUserFallbackModel : IRecommenderModel
{
    private readonly IRecommenderModel _inner;
    private readonly PopularityModel _popularity;
    private readonly bool[] _isWarm;

    /// <summary>Wraps <paramref name="inner"/>, with popularity computed from <paramref name="train"/>.</summary>
    /// <param name="inner">The trained model.</param>
    /// <param name="train">The user x item matrix the model was trained on (decides who is cold).</param>
    /// <exception cref="ArgumentException">The matrix shape differs from the model's maps.</exception>
    public ColdUserFallbackModel(IRecommenderModel inner, CsrMatrix train)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(train);
        if (train.Rows != inner.Users.Count || train.Columns != inner.Items.Count)
            throw new ArgumentException($"The train matrix is {train.Rows} x {train.Columns} but the model knows {inner.Users.Count} users and {inner.Items.Count} items.", nameof(train));
        _inner = inner;
        _popularity = PopularityModel.Fit(train, inner.Users, inner.Items);
        _isWarm = new bool[train.Rows];
        for (int u = 0; u < train.Rows; u++) _isWarm[u] = train.RowLength(u) > 0;
    }

    /// <summary>The wrapped model.</summary>
    public IRecommenderModel Inner => _inner;

    /// <inheritdoc />
    public IdMap Users => _inner.Users;

    /// <inheritdoc />
    public IdMap Items => _inner.Items;

    /// <summary>True when the user had at least one training interaction (scored by the wrapped model).</summary>
    public bool IsWarm(int userIndex) => _isWarm[userIndex];

    /// <inheritdoc />
    public void ScoreItems(int userIndex, Span<float> scores)
    {
        if (_isWarm[userIndex]) _inner.ScoreItems(userIndex, scores);
        else _popularity.ScoreItems(userIndex, scores);
    }
}
