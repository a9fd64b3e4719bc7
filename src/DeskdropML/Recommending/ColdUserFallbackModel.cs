using DeskdropML.Sparse;
using DeskdropML.Trainers.Popularity;

namespace DeskdropML.Recommending;

/// <summary>
/// The one cold-user fallback of the library: wraps a model so that users it has no training interactions for
/// are ranked by fallback scores (by default popularity: distinct training users per item) instead of by the
/// model's untrained parameters; warm users keep the model's scores.
/// </summary>
/// <remarks>
/// <para><b>Who is cold</b> (<see cref="IsWarmUser"/>): for a model implementing <see cref="IWarmUserModel"/> (every
/// factorization trainer, the content model, stored models) its own
/// <see cref="IWarmUserModel.HasTrainingInteractions"/>; for any other model, a user without a stored entry in the
/// training matrix. <see cref="Recommender"/> (top-k) and the per-row scores of
/// <see cref="FactorizationScoringTransformer"/> follow the same rule with the same fallback scores, so evaluation,
/// top-k and ML.NET scoring rank a cold user identically.</para>
/// <para>In a time-carved split some test users are cold (all their pairs fall after the cut); ranking them by
/// untrained factors would rank by noise or by item index. The tuner, the command line and <c>reproduce</c>
/// evaluate every trained model through this class.</para>
/// </remarks>
public sealed class ColdUserFallbackModel : IWarmUserModel
{
    private readonly IRecommenderModel _inner;
    private readonly float[] _fallbackScores;
    private readonly bool[] _isWarm;

    /// <summary>Wraps <paramref name="inner"/>, with popularity computed from <paramref name="train"/> as the fallback.</summary>
    /// <param name="inner">The trained model.</param>
    /// <param name="train">The user x item matrix the model was trained on (decides who is cold for models that do
    /// not say it themselves, and gives the popularity).</param>
    /// <exception cref="ArgumentException">The matrix shape differs from the model's maps.</exception>
    public ColdUserFallbackModel(IRecommenderModel inner, CsrMatrix train)
        : this(inner, train, Popularity(inner, train))
    {
    }

    /// <summary>Wraps <paramref name="inner"/> with the given fallback scores (one per item, copied).</summary>
    /// <exception cref="ArgumentException">The matrix or the fallback does not match the model's maps.</exception>
    public ColdUserFallbackModel(IRecommenderModel inner, CsrMatrix train, ReadOnlySpan<float> fallbackScores)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(train);
        CheckShape(inner, train);
        if (fallbackScores.Length != inner.Items.Count)
            throw new ArgumentException($"fallbackScores has {fallbackScores.Length} entries; the model has {inner.Items.Count} items.", nameof(fallbackScores));
        _inner = inner;
        _fallbackScores = fallbackScores.ToArray();
        _isWarm = new bool[train.Rows];
        for (int u = 0; u < train.Rows; u++) _isWarm[u] = IsWarmUser(inner, train, u);
    }

    /// <summary>The wrapped model.</summary>
    public IRecommenderModel Inner => _inner;

    /// <inheritdoc />
    public IdMap Users => _inner.Users;

    /// <inheritdoc />
    public IdMap Items => _inner.Items;

    /// <summary>The fallback score of every item.</summary>
    public ReadOnlySpan<float> FallbackScores => _fallbackScores;

    /// <summary>
    /// The rule of the class: <paramref name="model"/>'s own answer when it is an <see cref="IWarmUserModel"/>,
    /// otherwise whether row <paramref name="userIndex"/> of <paramref name="train"/> has a stored entry.
    /// </summary>
    public static bool IsWarmUser(IRecommenderModel model, CsrMatrix train, int userIndex)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        return model is IWarmUserModel aware ? aware.HasTrainingInteractions(userIndex) : train.RowLength(userIndex) > 0;
    }

    /// <summary>True when the user is scored by the wrapped model, false when by the fallback.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The index is outside the user map.</exception>
    public bool IsWarm(int userIndex)
    {
        if ((uint)userIndex >= (uint)_isWarm.Length)
            throw new ArgumentOutOfRangeException(nameof(userIndex), userIndex, $"User index must be in [0, {_isWarm.Length}).");
        return _isWarm[userIndex];
    }

    /// <inheritdoc />
    public bool HasTrainingInteractions(int userIndex) => IsWarm(userIndex);

    /// <inheritdoc />
    public void ScoreItems(int userIndex, Span<float> scores)
    {
        if (IsWarm(userIndex)) _inner.ScoreItems(userIndex, scores);
        else _fallbackScores.CopyTo(scores);
    }

    private static ReadOnlySpan<float> Popularity(IRecommenderModel inner, CsrMatrix train)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(train);
        CheckShape(inner, train);
        return PopularityModel.Fit(train, inner.Users, inner.Items).ItemScores;
    }

    private static void CheckShape(IRecommenderModel inner, CsrMatrix train)
    {
        if (train.Rows != inner.Users.Count || train.Columns != inner.Items.Count)
            throw new ArgumentException($"The train matrix is {train.Rows} x {train.Columns} but the model knows {inner.Users.Count} users and {inner.Items.Count} items.", nameof(train));
    }
}
