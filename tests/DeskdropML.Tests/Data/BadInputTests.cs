using System.IO.Compression;
using System.Text;
using DeskdropML.Data;

namespace DeskdropML.Tests.Data;

/// <summary>Each kind of bad input gives a <see cref="DataFormatException"/> naming file, line and column.</summary>
public class BadInputTests
{
    internal static string WriteCsv(string content, string name = "interactions.csv")
    {
        string path = Path.Combine(TestPaths.NewTempDirectory(), name);
        File.WriteAllText(path, content);
        return path;
    }

    private static DataFormatException Fails(string content, InteractionCsvOptions? options = null)
    {
        string path = WriteCsv(content);
        var ex = Assert.Throws<DataFormatException>(() => InteractionCsvLoader.Load(path, options));
        Assert.Equal(path, ex.File);
        Assert.DoesNotContain('\n', ex.Message);
        return ex;
    }

    [Fact]
    public void Missing_file()
    {
        var ex = Assert.Throws<DataFormatException>(() => InteractionCsvLoader.Load("/no/such/file.csv"));
        Assert.Contains("file not found", ex.Message);
        Assert.Equal("/no/such/file.csv", ex.File);
    }

    [Fact]
    public void Empty_file()
    {
        var ex = Fails("");
        Assert.Contains("empty", ex.Message);
    }

    [Fact]
    public void Missing_column_names_the_column_and_lists_the_header()
    {
        var ex = Fails("user,item,time\nu,i,1\n");
        Assert.Equal("timestamp", ex.Column);
        Assert.Equal(1, ex.Line);
        Assert.Contains("user, item, time", ex.Message);
    }

    [Fact]
    public void Row_with_too_few_fields()
    {
        var ex = Fails("user,item,timestamp\nu,i,1\nu,i\n");
        Assert.Equal(3, ex.Line);
        Assert.Contains("2 fields but the header has 3", ex.Message);
    }

    [Fact]
    public void Non_numeric_timestamp()
    {
        var ex = Fails("user,item,timestamp\nu,i,1\nu,i,yesterday\n");
        Assert.Equal((3L, "timestamp"), (ex.Line, ex.Column));
        Assert.Contains("'yesterday' is not a timestamp", ex.Message);
    }

    [Fact]
    public void Unknown_event_type_is_an_error_unless_skipped_and_counted()
    {
        string csv = "user,item,timestamp,event\nu,i,1,VIEW\nu,j,2,SHARE\nu,k,3,SHARE\n";
        var ex = Fails(csv, new InteractionCsvOptions { EventColumn = "event" });
        Assert.Equal((3L, "event"), (ex.Line, ex.Column));
        Assert.Contains("unknown event type 'SHARE'", ex.Message);

        var log = InteractionCsvLoader.Load(WriteCsv(csv), new InteractionCsvOptions { EventColumn = "event", UnknownEvents = UnknownEventPolicy.Skip });
        Assert.Equal(1, log.Count);
        Assert.Equal(3, log.Report.RowsRead);
        Assert.Equal(2, log.Report.RowsRejected);
        Assert.Equal(2, log.Report.Rejected["unknown event type 'SHARE' (skipped)"]);
    }

    [Fact]
    public void Duplicate_header_names()
    {
        var ex = Fails("user,item,user,timestamp\nu,i,v,1\n");
        Assert.Equal((1L, "user"), (ex.Line, ex.Column));
        Assert.Contains("twice", ex.Message);
    }

    [Fact]
    public void Bad_weight_and_empty_id()
    {
        var ex = Fails("user,item,timestamp,w\nu,i,1,-2\n", new InteractionCsvOptions { WeightColumn = "w" });
        Assert.Equal((2L, "w"), (ex.Line, ex.Column));
        ex = Fails("user,item,timestamp\n,i,1\n");
        Assert.Equal((2L, "user"), (ex.Line, ex.Column));
    }

    [Fact]
    public void Gzip_weights_and_iso_timestamps_are_accepted()
    {
        string path = Path.Combine(TestPaths.NewTempDirectory(), "w.csv.gz");
        using (var gz = new GZipStream(File.Create(path), CompressionLevel.Fastest))
            gz.Write(Encoding.UTF8.GetBytes("user,item,timestamp,w\nu,i,2016-10-03T18:32:10Z,2.5\nu,j,1475519530,0\n"));
        var log = InteractionCsvLoader.Load(path, new InteractionCsvOptions { WeightColumn = "w" });
        Assert.Equal(new long[] { 1475519530, 1475519530 }, log.Timestamps);
        Assert.Equal(new[] { 2.5f, 0f }, log.Strengths);
    }
}
