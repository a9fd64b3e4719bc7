using System.Text;
using DeskdropML.Data;

namespace DeskdropML.Tests.Reliability;

/// <summary>Files are strict UTF-8: a bad byte is an error at its line and character position, never U+FFFD.</summary>
public class StrictTextTests
{
    private static DataFormatException Fails(byte[] bytes, string name = "bad.csv")
    {
        string path = FaultData.WriteFile(bytes, name);
        var e = Assert.Throws<DataFormatException>(() => InteractionCsvLoader.Load(path));
        Assert.Equal(path, e.File);
        Assert.DoesNotContain('\n', e.Message);
        return e;
    }

    private static byte[] Bytes(string ascii, params (int At, byte[] Insert)[] inserts)
    {
        var list = Encoding.UTF8.GetBytes(ascii).ToList();
        foreach (var (at, insert) in inserts.OrderByDescending(i => i.At)) list.InsertRange(at, insert);
        return list.ToArray();
    }

    [Fact]
    public void Two_ids_that_differ_only_in_invalid_bytes_are_an_error_not_one_merged_user()
    {
        // The case: "u\xe9" and "u\xe8" would both decode to "u\uFFFD" and merge.
        string csv = "user,item,timestamp\nu_,i1,1\nu_,i2,2\n";
        int first = csv.IndexOf('_'), second = csv.LastIndexOf('_');
        var bytes = Encoding.UTF8.GetBytes(csv);
        bytes[first] = 0xE9;
        bytes[second] = 0xE8;
        var e = Fails(bytes);
        Assert.Equal((2L, 2), (e.Line, e.Position));
        Assert.Contains("invalid UTF-8", e.Message);
        Assert.Contains("e9", e.Message);
        Assert.Contains("bad.csv:2:2:", e.Message);
    }

    [Fact]
    public void Position_counts_characters_not_bytes_and_survives_buffer_boundaries()
    {
        // Multi-byte characters before the bad byte on the same line; the bad line far past the first 64 KiB.
        var sb = new StringBuilder("user,item,timestamp\n");
        for (int r = 0; r < 9000; r++) sb.Append("üser").Append(r).Append(",ítem,").Append(r).Append('\n');
        long line = 9000 + 2;
        string prefix = sb.ToString() + "ü€😀,";
        byte[] bytes = [.. Encoding.UTF8.GetBytes(prefix), 0xC3, 0x28, .. ",1\n"u8.ToArray()]; // C3 28: a lead byte without its continuation
        var e = Fails(bytes);
        Assert.Equal(line, e.Line);
        Assert.Equal("ü€😀,".Length + 1, e.Position); // 😀 is two UTF-16 characters
    }

    [Fact]
    public void A_character_cut_at_the_end_of_the_file_is_an_error()
    {
        var e = Fails([.. "user,item,timestamp\nu1,i1,1\nu"u8.ToArray(), 0xE2, 0x82]);
        Assert.Equal(3, e.Line);
        Assert.Contains("ends inside a multi-byte character", e.Message);
    }

    [Fact]
    public void Utf16_is_recognised_by_its_byte_order_mark()
    {
        var e = Fails([0xFF, 0xFE, .. Encoding.Unicode.GetBytes("user,item,timestamp\n")]);
        Assert.Contains("UTF-16", e.Message);
    }

    [Fact]
    public void A_utf8_byte_order_mark_is_skipped_and_non_ascii_ids_are_kept_exactly()
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("user,item,timestamp\nJosé,café☕,1\n😀,ü,2\n")];
        var log = InteractionCsvLoader.Load(FaultData.WriteFile(bytes, "bom.csv"));
        Assert.Equal(new[] { "José", "😀" }, log.Users);
        Assert.Equal(new[] { "café☕", "ü" }, log.Items);
    }

    [Fact]
    public void Field_errors_name_the_character_position_of_the_field()
    {
        var e = Fails(Encoding.UTF8.GetBytes("user,item,timestamp,w\n\"a,b\",i1,1,2\nu,i,\"two\nlines\",x\n"));
        // Line 3 holds a quoted timestamp spanning two lines: it starts at position 5 of line 3.
        Assert.Equal((3L, 5, "timestamp"), (e.Line, e.Position, e.Column));
        e = Fails(Encoding.UTF8.GetBytes("user,item,timestamp,w\n\"a,b\",,1,2\n"));
        Assert.Equal((2L, 7, "item"), (e.Line, e.Position, e.Column));
    }

    /// <summary>Random byte flips in a plain CSV: a load either succeeds or fails with a one-line error naming the
    /// file — never another exception.</summary>
    [Fact]
    public void Random_byte_flips_in_a_csv_never_crash_the_loader()
    {
        byte[] original = Encoding.UTF8.GetBytes(FaultData.Csv(400));
        var random = new Random(11);
        for (int trial = 0; trial < 300; trial++)
        {
            var damaged = (byte[])original.Clone();
            for (int f = 0; f <= trial % 3; f++) damaged[random.Next(damaged.Length)] = (byte)random.Next(256);
            string path = FaultData.WriteFile(damaged, "flip.csv");
            try
            {
                InteractionCsvLoader.Load(path);
            }
            catch (DataFormatException e)
            {
                Assert.StartsWith(path, e.Message);
                Assert.DoesNotContain('\n', e.Message);
            }
        }
    }
}
