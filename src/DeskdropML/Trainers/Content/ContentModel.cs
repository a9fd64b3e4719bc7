using System.Numerics.Tensors;
using DeskdropML.Recommending;
using DeskdropML.Sparse;

namespace DeskdropML.Trainers.Content;

/// <summary>
/// The content recommender: <c>score(u, i) = cos(profile_u, x_i) = profile_u · x̂_i / ||profile_u||</c>, where
/// x̂_i is item i's L2-normalised text vector and profile_u the strength-weighted mean of the x̂ of u's training
/// items (see <see cref="ContentTrainer"/>). Scores lie in [-1, 1] ([0, 1] for non-negative features); an item
/// without text scores 0.
/// </summary>
/// <remarks>
/// A user without a profile (<see cref="HasTrainingInteractions"/> false: no training interaction with positive
/// weight on an item with text) gets all-zero scores, whose ties would fall into item-index order: such users are
/// cold, and <see cref="ColdUserFallbackModel"/> and <see cref="Recommender"/> rank them by the popularity fallback.
/// Read-only after training and safe to use from several threads.
/// </remarks>
public sealed class ContentModel : IWarmUserModel
{
    private readonly CsrMatrix _itemsByTerm;
    private readonly float[] _profileNorms;

    internal ContentModel(IdMap users, IdMap items, CsrMatrix normalizedItemFeatures, CsrMatrix profiles)
    {
        Users = users;
        Items = items;
        ItemFeatures = normalizedItemFeatures;
        Profiles = profiles;
        _itemsByTerm = normalizedItemFeatures.Transpose();
        _profileNorms = new float[profiles.Rows];
        for (int u = 0; u < profiles.Rows; u++)
            _profileNorms[u] = TensorPrimitives.Norm(profiles.RowValues(u));
    }

    /// <inheritdoc />
    public IdMap Users { get; }

    /// <inheritdoc />
    public IdMap Items { get; }

    /// <summary>Item x term matrix of the L2-normalised item text vectors x̂_i.</summary>
    public CsrMatrix ItemFeatures { get; }

    /// <summary>User x term matrix of the profiles (strength-weighted means of x̂_i, not normalised).</summary>
    public CsrMatrix Profiles { get; }

    /// <summary>
    /// True when the user's profile is not zero, i.e. the user has a training interaction with positive weight on
    /// an item with text: the only training interactions the content model learns from. Only then are the scores
    /// informative; other users are cold (see <see cref="IWarmUserModel"/>).
    /// </summary>
    public bool HasTrainingInteractions(int userIndex)
    {
        CheckUser(userIndex);
        return _profileNorms[userIndex] > 0;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException">The user index is outside the user map.</exception>
    /// <exception cref="ArgumentException"><paramref name="scores"/> does not have one entry per item.</exception>
    public void ScoreItems(int userIndex, Span<float> scores)
    {
        CheckUser(userIndex);
        ScoreProfile(Profiles.RowIndices(userIndex), Profiles.RowValues(userIndex), scores);
    }

    /// <summary>
    /// Scores every item against an arbitrary sparse profile (e.g. a new user's, or a folded-in article's vector):
    /// <c>scores[i] = profile · x̂_i / ||profile||</c>; all zero for a zero profile.
    /// </summary>
    /// <param name="termIndices">Term columns of the profile (any order, unique).</param>
    /// <param name="termValues">Profile values aligned with <paramref name="termIndices"/>.</param>
    /// <param name="scores">Receives one score per item.</param>
    public void ScoreProfile(ReadOnlySpan<int> termIndices, ReadOnlySpan<float> termValues, Span<float> scores)
    {
        if (scores.Length != Items.Count)
            throw new ArgumentException($"scores has length {scores.Length}; it must have one entry per item ({Items.Count}).", nameof(scores));
        if (termIndices.Length != termValues.Length)
            throw new ArgumentException("termIndices and termValues must have the same length.", nameof(termValues));
        scores.Clear();
        float norm = TensorPrimitives.Norm(termValues);
        if (!(norm > 0)) return;
        // Walk the postings of the profile's terms (term x item matrix): cost = sum of their document frequencies.
        for (int p = 0; p < termIndices.Length; p++)
        {
            int term = termIndices[p];
            if ((uint)term >= (uint)_itemsByTerm.Rows)
                throw new ArgumentOutOfRangeException(nameof(termIndices), term, $"Term index must be in [0, {_itemsByTerm.Rows}).");
            float weight = termValues[p];
            var items = _itemsByTerm.RowIndices(term);
            var values = _itemsByTerm.RowValues(term);
            for (int q = 0; q < items.Length; q++)
                scores[items[q]] += weight * values[q];
        }
        TensorPrimitives.Multiply(scores, 1f / norm, scores);
    }

    private void CheckUser(int userIndex)
    {
        if ((uint)userIndex >= (uint)Users.Count)
            throw new ArgumentOutOfRangeException(nameof(userIndex), userIndex, $"User index must be in [0, {Users.Count}).");
    }
}
