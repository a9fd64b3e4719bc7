using DeskdropML.Sparse;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeskdropML.Tests.SparseData;

public class SideFeaturesTests
{
    private sealed class Row
    {
        public string Id { get; set; } = "";

        [VectorType(4)]
        public float[] Features { get; set; } = new float[4];
    }

    [Fact]
    public void Rows_are_copied_in_ordinal_id_order_without_zeros()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(new[]
        {
            new Row { Id = "b", Features = new[] { 0f, 2f, 0f, 3f } },
            new Row { Id = "a", Features = new[] { 1f, 0f, 0f, 0f } },
            new Row { Id = "c", Features = new[] { 0f, 0f, 0f, 0f } },
        });
        var side = SideFeatures.FromDataView(data, "Id", "Features");
        Assert.Equal(new[] { "a", "b", "c" }, side.Ids.Ids);
        Assert.Equal((3, 4), (side.Matrix.Rows, side.Matrix.Columns));
        Assert.Equal(new[] { 0 }, side.Matrix.RowIndices(0).ToArray());
        Assert.Equal(new[] { 1, 3 }, side.Matrix.RowIndices(1).ToArray());
        Assert.Equal(new[] { 2f, 3f }, side.Matrix.RowValues(1).ToArray());
        Assert.Equal(0, side.Matrix.RowLength(2));
    }

    [Fact]
    public void Bad_columns_and_rows_are_named()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(new[] { new Row { Id = "a" }, new Row { Id = "a" } });
        Assert.Contains("appears twice", Assert.Throws<ArgumentException>(() => SideFeatures.FromDataView(data, "Id", "Features")).Message);
        Assert.Equal("featuresColumnName", Assert.Throws<ArgumentException>(() => SideFeatures.FromDataView(data, "Id", "Nope")).ParamName);
        Assert.Equal("idColumnName", Assert.Throws<ArgumentException>(() => SideFeatures.FromDataView(data, "Features", "Features")).ParamName);
        Assert.Throws<ArgumentException>(() => new SideFeatures(IdMap.FromIds(new[] { "x" }), CsrMatrix.Empty(2, 3)));
    }
}
