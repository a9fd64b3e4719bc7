using DeskdropML.Ranking;
using FsCheck;
using FsCheck.Xunit;

namespace DeskdropML.Tests.Ranking;

public class ScoreOrderTests
{
    /// <summary>The packed-key sort gives exactly the order of the comparison it replaced: score descending, then item ascending.</summary>
    [Property(MaxTest = 200)]
    public bool Packed_keys_order_like_score_descending_then_item_ascending(int[] rawScores, int seed)
    {
        var random = new Random(seed);
        var scores = new Dictionary<int, float>();
        foreach (int r in rawScores)
        {
            // Few distinct values (ties), both signs, zeros of both signs, tiny and large magnitudes.
            float v = (r % 7) switch { 0 => 0f, 1 => -0f, 2 => r % 3, 3 => -(r % 3) * 1e-30f, 4 => r * 1e20f, _ => (r % 5) / 4f };
            scores[random.Next(0, 10_000)] = v;
        }
        var expected = scores.Keys.ToArray();
        Array.Sort(expected, (a, b) => scores[b] != scores[a] ? scores[b].CompareTo(scores[a]) : a.CompareTo(b));
        return expected.SequenceEqual(ScoreOrder.Descending(scores, x => x));
    }

    [Fact]
    public void Ranks_of_ascending_items_are_their_positions_or_the_order_length()
    {
        var order = new[] { 9, 2, 5, 7 };
        Assert.Equal(new[] { 1, 4, 2, 0 }, ScoreOrder.RanksOf(order, new[] { 2, 3, 5, 9 }));
        Assert.Throws<ArgumentException>(() => ScoreOrder.Key(float.NaN, 1));
    }
}
