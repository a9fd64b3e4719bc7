using System.Numerics.Tensors;
using DeskdropML.Recommending;
using DeskdropML.Sparse;

namespace DeskdropML.Trainers.Content;

/// <summary>
/// A <see cref="ContentModel"/> seen as a factorization model whose latent space is the vocabulary: user packed vector
/// <c>[profile_u / ||profile_u||, 0, 1]</c>, item packed vector <c>[x̂_i, 1, 0]</c>, so the packed dot product is the
/// content model's cosine score. This lets the content model use the shared scoring transformer, model zips and
/// top-k (<see cref="Persistence.FactorizationModelZip"/>, <see cref="Recommender"/>).
/// </summary>
/// <remarks>
/// <see cref="HasTrainingInteractions"/> is <see cref="ContentModel.HasTrainingInteractions"/> (a non-zero profile): a
/// user whose training items have no text has nothing to be scored by and is ranked by the popularity fallback,
/// like a user without training interactions. Packed vectors are dense (vocabulary size + 2 floats each): fine for catalogues of a few thousand
/// articles; zips compress the zeros.
/// <para><b>Memory model</b> (V terms, U users, I items): the view itself keeps nothing; each packed vector a caller
/// asks for is <c>4(V + 2)</c> bytes. Whoever copies them pays dense vocabulary-sized rows: a
/// <see cref="Recommender"/> tiles the items, <c>4(V + 2) × I</c> bytes (Deskdrop's 3,000 articles × 14,500 clean
/// terms: 173 MB), and a saved model also stores the users, <c>4(V + 2) × (U + 2I)</c> bytes in all — both checked
/// with <see cref="Memory.MemoryBudget"/> and refused when they would not fit. The sparse
/// <see cref="ContentModel.ScoreItems"/> path (what evaluation uses) needs only a score row per call.</para>
/// </remarks>
public sealed class ContentFactorizationView : IFactorizationModel
{
    private readonly ContentModel _model;

    /// <summary>Wraps a content model.</summary>
    public ContentFactorizationView(ContentModel model) => _model = model ?? throw new ArgumentNullException(nameof(model));

    /// <inheritdoc />
    public IdMap Users => _model.Users;

    /// <inheritdoc />
    public IdMap Items => _model.Items;

    /// <summary>The vocabulary size.</summary>
    public int Dimension => _model.ItemFeatures.Columns;

    /// <inheritdoc />
    public bool HasTrainingInteractions(int userIndex) => _model.HasTrainingInteractions(userIndex);

    /// <inheritdoc />
    public void ScoreItems(int userIndex, Span<float> scores) => _model.ScoreItems(userIndex, scores);

    /// <inheritdoc />
    public void GetPackedUserVector(int userIndex, Span<float> packed)
    {
        CheckLength(packed);
        packed.Clear();
        var indices = _model.Profiles.RowIndices(userIndex);
        var values = _model.Profiles.RowValues(userIndex);
        float norm = TensorPrimitives.Norm(values);
        if (norm > 0)
            for (int k = 0; k < indices.Length; k++) packed[indices[k]] = values[k] / norm;
        packed[Dimension + 1] = 1f;
    }

    /// <inheritdoc />
    public void GetPackedItemVector(int itemIndex, Span<float> packed)
    {
        CheckLength(packed);
        packed.Clear();
        var indices = _model.ItemFeatures.RowIndices(itemIndex);
        var values = _model.ItemFeatures.RowValues(itemIndex);
        for (int k = 0; k < indices.Length; k++) packed[indices[k]] = values[k];
        packed[Dimension] = 1f;
    }

    private void CheckLength(Span<float> packed)
    {
        if (packed.Length != Dimension + 2)
            throw new ArgumentException($"The packed span has length {packed.Length}; it must be Dimension + 2 = {Dimension + 2}.", nameof(packed));
    }
}
