using System.Numerics.Tensors;
using DeskdropML.Recommending;
using DeskdropML.Sparse;

namespace DeskdropML.Tests.Contract;

/// <summary>
/// Test-only factorization model: explicit factor and bias arrays. score(u, i) = p_u · q_i + b_u + b_i.
/// </summary>
public sealed class TestFactorizationModel : IFactorizationModel
{
    private readonly float[] _userFactors, _userBiases, _itemFactors, _itemBiases;
    private readonly bool[] _hasTraining;

    public TestFactorizationModel(IdMap users, IdMap items, int dimension, float[] userFactors, float[] userBiases,
        float[] itemFactors, float[] itemBiases, bool[] hasTraining)
    {
        Assert.Equal(users.Count * dimension, userFactors.Length);
        Assert.Equal(items.Count * dimension, itemFactors.Length);
        Users = users; Items = items; Dimension = dimension;
        _userFactors = userFactors; _userBiases = userBiases; _itemFactors = itemFactors; _itemBiases = itemBiases;
        _hasTraining = hasTraining;
    }

    /// <summary>Random N(0, scale) factors and biases; users listed in <paramref name="coldUsers"/> have no training interactions.</summary>
    public static TestFactorizationModel Random(IdMap users, IdMap items, int dimension, int seed, params int[] coldUsers)
    {
        var rng = new Random(seed);
        float Next() => (float)(rng.NextDouble() * 2 - 1);
        float[] Fill(int n) { var a = new float[n]; for (int i = 0; i < n; i++) a[i] = Next(); return a; }
        var has = Enumerable.Repeat(true, users.Count).ToArray();
        foreach (int u in coldUsers) has[u] = false;
        return new TestFactorizationModel(users, items, dimension, Fill(users.Count * dimension), Fill(users.Count),
            Fill(items.Count * dimension), Fill(items.Count), has);
    }

    public IdMap Users { get; }
    public IdMap Items { get; }
    public int Dimension { get; }

    public ReadOnlySpan<float> UserFactors(int u) => _userFactors.AsSpan(u * Dimension, Dimension);
    public ReadOnlySpan<float> ItemFactors(int i) => _itemFactors.AsSpan(i * Dimension, Dimension);
    public float UserBias(int u) => _userBiases[u];
    public float ItemBias(int i) => _itemBiases[i];

    public void GetPackedUserVector(int userIndex, Span<float> packed)
    {
        UserFactors(userIndex).CopyTo(packed);
        packed[Dimension] = _userBiases[userIndex];
        packed[Dimension + 1] = 1f;
    }

    public void GetPackedItemVector(int itemIndex, Span<float> packed)
    {
        ItemFactors(itemIndex).CopyTo(packed);
        packed[Dimension] = 1f;
        packed[Dimension + 1] = _itemBiases[itemIndex];
    }

    public bool HasTrainingInteractions(int userIndex) => _hasTraining[userIndex];

    public void ScoreItems(int userIndex, Span<float> scores)
    {
        for (int i = 0; i < Items.Count; i++)
            scores[i] = TensorPrimitives.Dot(UserFactors(userIndex), ItemFactors(i)) + _userBiases[userIndex] + _itemBiases[i];
    }
}
