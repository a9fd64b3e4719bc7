using DeskdropML.Data;

namespace DeskdropML.Tests.Data;

/// <summary>Known answers: the DESIGN section 3 facts table, from the shipped data.</summary>
public class DeskdropFactsTests
{
    [Fact]
    public void Deskdrop_benchmark_reproduces_every_fact()
    {
        var b = DeskdropBenchmark.Load(TestPaths.NotebooksData, DeskdropBenchmarkKind.Deskdrop);
        var s = b.Dataset.Summary;
        Assert.Equal(72_312, s.InteractionsRaw);
        Assert.Equal(1_895, s.UsersTotal);
        Assert.Equal(1_140, s.UsersKept);
        Assert.Equal(69_868, s.InteractionsKept);
        Assert.Equal(39_106, s.Pairs);
        Assert.Equal(2_984, s.Items);
        Assert.Equal(29_329, s.TrainPairs);
        Assert.Equal(9_777, s.TestPairs);
        Assert.Equal(982, s.TestUsers);
        Assert.Equal(28, s.ColdTestUsers);
        Assert.Equal(8_575, s.TestPairsOnItemsWithoutTrain);
        Assert.Equal((1_140, 2_984), (b.Dataset.Train.Rows, b.Dataset.Train.Columns));
        Assert.Equal(0, b.Log.Report.RowsRejected);
    }

    [Fact]
    public void Deskdrop_text_benchmark_reproduces_every_fact()
    {
        var b = DeskdropBenchmark.Load(TestPaths.NotebooksData, DeskdropBenchmarkKind.DeskdropText);
        var s = b.Dataset.Summary;
        Assert.Equal(25_032, s.InteractionsRaw);
        Assert.Equal(1_647, s.UsersTotal);
        Assert.Equal(705, s.UsersKept);
        Assert.Equal(21_973, s.InteractionsKept);
        Assert.Equal(10_816, s.Pairs);
        Assert.Equal(242, s.Items);
        Assert.Equal(7_849, s.TrainPairs);
        Assert.Equal(2_967, s.TestPairs);
        Assert.Equal(626, s.TestUsers);
        Assert.Equal(2_606, s.TestPairsOnItemsWithoutTrain);
        // Every row left out is counted with its reason.
        Assert.Equal(72_312, b.Log.Report.RowsRead);
        Assert.Equal(72_312 - 25_032, b.Log.Report.RowsRejected);
    }

    [Fact]
    public void Partial_article_file_has_244_shared_articles()
    {
        var b = DeskdropBenchmark.Load(TestPaths.NotebooksData, DeskdropBenchmarkKind.Deskdrop);
        Assert.Equal(244, b.Articles.Count);
        Assert.All(b.Articles, a => Assert.Equal("CONTENT SHARED", a.EventType));
        Assert.Contains(b.Articles, a => a.Lang == "pt");
    }

    [Fact]
    public void Max_timestamp_instead_of_last_row_would_give_the_wrong_split()
    {
        // The design notes that max() gives 29,325 / 9,781: check that the file really is out of time order
        // within pairs, so the "last row in file order" rule is doing work here.
        var log = DeskdropBenchmark.Load(TestPaths.NotebooksData, DeskdropBenchmarkKind.Deskdrop).Log;
        var last = new Dictionary<(string, string), long>();
        var max = new Dictionary<(string, string), long>();
        for (int r = 0; r < log.Count; r++)
        {
            var key = (log.Users[r], log.Items[r]);
            last[key] = log.Timestamps[r];
            max[key] = Math.Max(max.GetValueOrDefault(key, long.MinValue), log.Timestamps[r]);
        }
        Assert.Contains(last, kv => kv.Value != max[kv.Key]);
    }
}
