using DeskdropML.Data;

namespace DeskdropML.Tests.Data;

public class CsvRecordReaderTests
{
    private static List<(long Line, string[] Fields)> ReadAll(string text)
    {
        using var reader = new CsvRecordReader(new StringReader(text), "mem.csv");
        var rows = new List<(long, string[])>();
        while (reader.ReadRecord() is { } r) rows.Add((reader.RecordLine, r.ToArray()));
        return rows;
    }

    [Fact]
    public void Quoted_fields_keep_commas_doubled_quotes_and_line_breaks_and_lines_are_tracked()
    {
        var rows = ReadAll("a,b,c\n1,\"x, \"\"y\"\"\",\"two\nlines\"\r\n\n3,,\"\"\n");
        Assert.Equal(3, rows.Count);
        Assert.Equal(new[] { "a", "b", "c" }, rows[0].Fields);
        Assert.Equal(new[] { "1", "x, \"y\"", "two\nlines" }, rows[1].Fields);
        Assert.Equal(2, rows[1].Line);
        Assert.Equal(new[] { "3", "", "" }, rows[2].Fields);
        Assert.Equal(5, rows[2].Line); // line 4 is empty and skipped
    }

    [Fact]
    public void Last_record_without_line_break_is_read()
    {
        var rows = ReadAll("a,b\n1,2");
        Assert.Equal(new[] { "1", "2" }, rows[1].Fields);
    }

    [Fact]
    public void Unclosed_quote_is_an_error_naming_the_line()
    {
        var ex = Assert.Throws<DataFormatException>(() => ReadAll("a,b\n1,2\n3,\"open\n"));
        Assert.Equal(3, ex.Line);
        Assert.Contains("mem.csv:3", ex.Message);
    }
}
