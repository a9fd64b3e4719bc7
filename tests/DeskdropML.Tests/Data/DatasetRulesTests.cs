using DeskdropML.Data;

namespace DeskdropML.Tests.Data;

/// <summary>The notebook's rules on small hand-made logs.</summary>
public class DatasetRulesTests
{
    private static InteractionLog Log(params (string User, string Item, long Time, float Strength)[] rows) =>
        new(rows.Select(r => r.User).ToArray(), rows.Select(r => r.Item).ToArray(),
            rows.Select(r => r.Time).ToArray(), rows.Select(r => r.Strength).ToArray(),
            new LoadReport("test", rows.Length, rows.Length, new Dictionary<string, long>()));

    [Fact]
    public void Pairs_sum_strengths_smooth_with_log2_and_take_the_last_row_in_file_order()
    {
        // u1 has 2 distinct items; the pair (u1, a) has rows at t=300 then t=100 (file order): last = 100.
        var log = Log(("u1", "a", 300, 1f), ("u1", "b", 50, 2f), ("u1", "a", 100, 4f));
        var d = InteractionDataset.Build(log, new DatasetOptions { MinItemsPerUser = 2, SplitTime = 200 });
        Assert.Equal(new[] { "a", "b" }, d.Items.Ids);
        // Both pairs are train: (u1,a) last = 100 < 200 although max = 300.
        Assert.Equal(2, d.Train.NonZeroCount);
        Assert.Equal(0, d.Test.NonZeroCount);
        Assert.Equal((float)Math.Log2(1 + 5), d.Train.Get(0, 0));
        Assert.Equal((float)Math.Log2(1 + 2), d.Train.Get(0, 1));
        Assert.Equal(new long[] { 100, 50 }, d.TrainTimestamps.ToArray());
    }

    [Fact]
    public void Users_below_the_minimum_are_dropped_and_counted()
    {
        var log = Log(("u1", "a", 1, 1f), ("u1", "b", 2, 1f), ("u1", "a", 3, 1f), ("u2", "a", 1, 1f), ("u2", "a", 5, 1f));
        var d = InteractionDataset.Build(log, new DatasetOptions { MinItemsPerUser = 2, SplitTime = 3 });
        Assert.Equal(new[] { "u1" }, d.Users.Ids);
        var s = d.Summary;
        Assert.Equal((5L, 2, 1, 3L, 2, 2), (s.InteractionsRaw, s.UsersTotal, s.UsersKept, s.InteractionsKept, s.Pairs, s.Items));
        // (u1,a) last = 3 >= split 3 -> test; (u1,b) = 2 -> train.
        Assert.Equal((1, 1, 1), (s.TrainPairs, s.TestPairs, s.TestUsers));
        Assert.Equal(1, s.TestPairsOnItemsWithoutTrain);
    }

    [Fact]
    public void Ids_are_indexed_in_ordinal_string_order()
    {
        var log = Log(("b", "-5", 1, 1f), ("B", "10", 1, 1f), ("a", "9", 1, 1f));
        var d = InteractionDataset.Build(log, new DatasetOptions { MinItemsPerUser = 1, SplitTime = 10 });
        Assert.Equal(new[] { "B", "a", "b" }, d.Users.Ids);
        Assert.Equal(new[] { "-5", "10", "9" }, d.Items.Ids);
    }

    [Fact]
    public void Test_fraction_splits_at_that_fraction_of_the_time_span()
    {
        var log = Log(("u", "a", 0, 1f), ("u", "b", 50, 1f), ("u", "c", 79, 1f), ("u", "d", 80, 1f), ("u", "e", 100, 1f));
        var d = InteractionDataset.Build(log, new DatasetOptions { MinItemsPerUser = 1, TestFraction = 0.2 });
        Assert.Equal(80, d.Summary.SplitTime);
        Assert.Equal(3, d.Summary.TrainPairs);
        Assert.Equal(2, d.Summary.TestPairs);
    }

    [Fact]
    public void Validation_is_carved_from_train_by_time_and_never_touches_test()
    {
        var log = Log(("u", "a", 0, 1f), ("u", "b", 40, 1f), ("u", "c", 85, 1f), ("u", "d", 100, 1f), ("u", "e", 500, 1f));
        var d = InteractionDataset.Build(log, new DatasetOptions { MinItemsPerUser = 1, SplitTime = 200 });
        var v = d.CarveValidation(0.2); // train span [0, 100] -> validation from 80 on
        Assert.Equal(80, v.Summary.SplitTime);
        Assert.Equal(2, v.Train.NonZeroCount);
        Assert.Equal(2, v.Test.NonZeroCount);
        Assert.False(v.Test.Contains(0, d.Items.IndexOf("e")));
        Assert.Same(d.Items, v.Items);
    }

    [Fact]
    public void Options_are_validated()
    {
        var log = Log(("u", "a", 0, 1f));
        Assert.Throws<ArgumentException>(() => InteractionDataset.Build(log, new DatasetOptions()));
        Assert.Throws<ArgumentException>(() => InteractionDataset.Build(log, new DatasetOptions { SplitTime = 1, TestFraction = 0.5 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => InteractionDataset.Build(log, new DatasetOptions { TestFraction = 1.0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => InteractionDataset.Build(log, new DatasetOptions { MinItemsPerUser = 0, SplitTime = 1 }));
    }
}
