using DeskdropML.Data;
using DeskdropML.Sparse;

namespace DeskdropML.Tests.Data;

public class RecencyWeightingTests
{
    [Fact]
    public void Each_weight_halves_per_half_life_of_age_and_the_structure_is_kept()
    {
        var m = CsrMatrix.FromTriplets(2, 3, new[] { 0, 0, 1 }, new[] { 0, 2, 1 }, new[] { 2f, 1f, 4f });
        long day = 86_400;
        var decayed = RecencyWeighting.Apply(m, new[] { 10 * day, 8 * day, 9 * day }, halfLifeSeconds: day);
        // Reference = latest time (day 10): ages 0, 2, 1 days.
        Assert.Equal(new[] { 2f, 0.25f, 2f }, decayed.Values.ToArray());
        Assert.Equal(m.ColumnIndices.ToArray(), decayed.ColumnIndices.ToArray());
        Assert.Equal(new[] { 2f, 1f, 4f }, m.Values.ToArray()); // input untouched
        var explicitReference = RecencyWeighting.Apply(m, new[] { 10 * day, 8 * day, 9 * day }, day, referenceTime: 11 * day);
        Assert.Equal(1f, explicitReference.Values[0], 6);
    }

    [Fact]
    public void Bad_arguments_are_named()
    {
        var m = CsrMatrix.FromTriplets(1, 1, new[] { 0 }, new[] { 0 }, new[] { 1f });
        Assert.Equal("halfLifeSeconds", Assert.Throws<ArgumentOutOfRangeException>(() => RecencyWeighting.Apply(m, new[] { 0L }, 0)).ParamName);
        Assert.Equal("timestamps", Assert.Throws<ArgumentException>(() => RecencyWeighting.Apply(m, Array.Empty<long>(), 1)).ParamName);
    }
}
