using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace DeskdropML.Tests.Baselines;

/// <summary>
/// A test double with <c>MatrixFactorizationTrainer</c>'s column contract (Microsoft.ML.Recommender is not on this
/// project's package mirror): inputs <see cref="RowIndexColumn"/> and <see cref="ColumnIndexColumn"/> must be keys of
/// <see cref="uint"/> with a known count, <see cref="LabelColumn"/> a float; the output is a float <see cref="ScoreColumn"/>.
/// As in ML.NET's trainer, key k stands for index k − 1, and key 0 or a key beyond the count is missing.
/// </summary>
/// <remarks>
/// Instead of factorizing it memorizes: Score(row key r, column key c) = the last label read at (r, c), NaN for a pair
/// without a training row (ML.NET's factorization gives NaN for rows and columns it never trained). The fitted
/// transformer is a <c>CustomMapping</c> whose input schema definition carries the key types with the training key
/// counts, so scoring rows whose keys differ in type or count is rejected as ML.NET's trainer would reject them.
/// </remarks>
internal sealed class MemorizingMatrixEstimator : IEstimator<ITransformer>
{
    public const string RowIndexColumn = "MatrixRowIndex";
    public const string ColumnIndexColumn = "MatrixColumnIndex";
    public const string LabelColumn = "Label";
    public const string ScoreColumn = "Score";

    private readonly MLContext _mlContext;

    public MemorizingMatrixEstimator(MLContext mlContext) => _mlContext = mlContext;

    public ITransformer Fit(IDataView input)
    {
        var schema = input.Schema;
        int rows = KeyCount(schema, RowIndexColumn);
        int columns = KeyCount(schema, ColumnIndexColumn);
        var label = schema.GetColumnOrNull(LabelColumn);
        if (label is not DataViewSchema.Column labelColumn || labelColumn.Type != NumberDataViewType.Single)
            throw new ArgumentException($"Column '{LabelColumn}' must be a float.", nameof(input));

        var table = new float[rows * columns];
        Array.Fill(table, float.NaN);
        var rowColumn = schema[RowIndexColumn];
        var columnColumn = schema[ColumnIndexColumn];
        using (var cursor = input.GetRowCursor(new[] { rowColumn, columnColumn, labelColumn }))
        {
            var getRow = cursor.GetGetter<uint>(rowColumn);
            var getColumn = cursor.GetGetter<uint>(columnColumn);
            var getLabel = cursor.GetGetter<float>(labelColumn);
            uint r = 0, c = 0;
            float y = 0;
            while (cursor.MoveNext())
            {
                getRow(ref r);
                getColumn(ref c);
                getLabel(ref y);
                if (r == 0 || r > rows || c == 0 || c > columns) continue;
                table[(r - 1) * columns + (c - 1)] = y;
            }
        }
        return Mapping(rows, columns, table).Fit(input);
    }

    public SchemaShape GetOutputSchema(SchemaShape inputSchema) => Mapping(1, 1, new[] { float.NaN }).GetOutputSchema(inputSchema);

    private CustomMappingEstimator<KeyPair, ScoreRow> Mapping(int rows, int columns, float[] table)
    {
        var definition = SchemaDefinition.Create(typeof(KeyPair));
        definition[nameof(KeyPair.MatrixRowIndex)].ColumnType = new KeyDataViewType(typeof(uint), rows);
        definition[nameof(KeyPair.MatrixColumnIndex)].ColumnType = new KeyDataViewType(typeof(uint), columns);
        void Score(KeyPair source, ScoreRow destination)
        {
            uint r = source.MatrixRowIndex, c = source.MatrixColumnIndex;
            destination.Score = r == 0 || r > rows || c == 0 || c > columns ? float.NaN : table[(r - 1) * columns + (c - 1)];
        }
        return _mlContext.Transforms.CustomMapping<KeyPair, ScoreRow>(Score, contractName: null, inputSchemaDefinition: definition);
    }

    private static int KeyCount(DataViewSchema schema, string name)
    {
        var column = schema.GetColumnOrNull(name)
            ?? throw new ArgumentException($"Column '{name}' is missing; the estimator needs key columns {RowIndexColumn} and {ColumnIndexColumn}.", name);
        if (column.Type is not KeyDataViewType key || key.RawType != typeof(uint) || key.Count == 0 || key.Count > int.MaxValue)
            throw new ArgumentException($"Column '{name}' must be a key of UInt32 with a known count (as MatrixFactorizationTrainer requires); it is {column.Type}.", name);
        return (int)key.Count;
    }

    public sealed class KeyPair
    {
        public uint MatrixRowIndex { get; set; }
        public uint MatrixColumnIndex { get; set; }
    }

    public sealed class ScoreRow
    {
        public float Score { get; set; }
    }
}
