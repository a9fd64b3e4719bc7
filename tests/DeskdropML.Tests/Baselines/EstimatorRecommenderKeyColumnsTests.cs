using DeskdropML.Baselines;
using DeskdropML.Sparse;
using Microsoft.ML;

namespace DeskdropML.Tests.Baselines;

/// <summary>
/// The harness with an estimator of <c>MatrixFactorizationTrainer</c>'s shape (key-typed MatrixRowIndex /
/// MatrixColumnIndex inputs, float Label, float Score output), played by <see cref="MemorizingMatrixEstimator"/>.
/// </summary>
public class EstimatorRecommenderKeyColumnsTests
{
    private const int Users = 7;
    private const int Items = 11;

    /// <summary>A 7 x 11 matrix (different counts, so swapped axes cannot pass) with a distinct value per stored pair.</summary>
    private static (CsrMatrix Train, IdMap Users, IdMap Items) Data()
    {
        var rows = new List<int>();
        var cols = new List<int>();
        var values = new List<float>();
        for (int u = 0; u < Users; u++)
            for (int i = 0; i < Items; i++)
                if ((3 * u + 5 * i) % 4 == 1 && u != 6) // user 6 has no train pair
                {
                    rows.Add(u);
                    cols.Add(i);
                    values.Add(Value(u, i));
                }
        var users = IdMap.FromIds(Enumerable.Range(0, Users).Select(u => $"u{u}"));
        var items = IdMap.FromIds(Enumerable.Range(0, Items).Select(i => $"i{i:D2}"));
        return (CsrMatrix.FromTriplets(Users, Items, rows.ToArray(), cols.ToArray(), values.ToArray()), users, items);
    }

    private static float Value(int u, int i) => 100 * u + i + 0.25f;

    private static EstimatorRecommender.Options MatrixColumns() => new()
    {
        IdColumns = IdColumnKind.Key,
        UserIdColumnName = MemorizingMatrixEstimator.RowIndexColumn,
        ItemIdColumnName = MemorizingMatrixEstimator.ColumnIndexColumn,
        UsersPerBatch = 3,
        NumberOfThreads = 2,
    };

    [Fact]
    public void Key_typed_matrix_index_columns_carry_each_pair_to_its_user_and_item_and_the_score_comes_back()
    {
        var (train, users, items) = Data();
        var ml = new MLContext(0);
        var options = MatrixColumns();
        options.UseValuesAsLabels = true;
        var model = new EstimatorRecommender(ml, new MemorizingMatrixEstimator(ml), options).Fit(train, users, items);

        int stored = 0;
        for (int u = 0; u < Users; u++)
        {
            var scores = model.UserScores(u);
            for (int i = 0; i < Items; i++)
            {
                if (train.Contains(u, i))
                {
                    Assert.Equal(Value(u, i), scores[i]);
                    stored++;
                }
                else
                {
                    Assert.True(float.IsNaN(scores[i]), $"({u}, {i}) has no training row but scored {scores[i]}");
                }
            }
        }
        Assert.Equal(train.NonZeroCount, stored);
        Assert.False(model.HasTrainingInteractions(6));
    }

    [Fact]
    public void Sampled_negatives_reach_the_estimator_as_keys_with_the_negative_label()
    {
        var (train, users, items) = Data();
        var ml = new MLContext(0);
        var options = MatrixColumns();
        options.NegativesPerPositive = 2;
        options.NegativeLabel = -1;
        options.Seed = 3;
        var model = new EstimatorRecommender(ml, new MemorizingMatrixEstimator(ml), options).Fit(train, users, items);

        int negatives = 0;
        for (int u = 0; u < Users; u++)
        {
            var scores = model.UserScores(u);
            for (int i = 0; i < Items; i++)
            {
                if (train.Contains(u, i)) Assert.Equal(1f, scores[i]);
                else if (!float.IsNaN(scores[i]))
                {
                    Assert.Equal(-1f, scores[i]);
                    negatives++;
                }
            }
        }
        Assert.InRange(negatives, 1, 2 * train.NonZeroCount);
    }

    [Fact]
    public void The_double_rejects_text_ids_as_matrix_factorization_does()
    {
        // Guards the test double itself: it really requires key columns, so the tests above exercise the key path.
        var (train, users, items) = Data();
        var ml = new MLContext(0);
        var options = MatrixColumns();
        options.IdColumns = IdColumnKind.Text;
        var e = Assert.Throws<ArgumentException>(() => new EstimatorRecommender(ml, new MemorizingMatrixEstimator(ml), options).Fit(train, users, items));
        Assert.Contains("key", e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(MemorizingMatrixEstimator.RowIndexColumn, e.ParamName);
    }

    private sealed class LabelRow
    {
        public float Label { get; set; }
    }

    private sealed class ScoreRow
    {
        public float Score { get; set; }
    }

    [Fact]
    public void A_transformer_that_scores_every_pair_NaN_is_rejected_with_the_reason()
    {
        // What ML.NET's factorization does with its regression loss when every label is 1 (LIBMF divides by their
        // standard deviation, 0): without the check every ranking would silently be the item-index order.
        var (train, users, items) = Data();
        var ml = new MLContext(0);
        var nan = ml.Transforms.CustomMapping<LabelRow, ScoreRow>((_, d) => d.Score = float.NaN, contractName: null);
        var e = Assert.Throws<InvalidOperationException>(() => new EstimatorRecommender(ml, nan, MatrixColumns()).Fit(train, users, items));
        Assert.Contains($"all {Users * Items}", e.Message);
        Assert.Contains("NaN", e.Message);
    }
}
