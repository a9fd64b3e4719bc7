using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using DeskdropML.Data;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace DeskdropML.Tests.Reliability;

/// <summary>
/// gzip input is verified end to end (every member's CRC-32 and ISIZE): a cut-short or damaged file is an error
/// naming the file, never a shorter file read as complete.
/// </summary>
public class GzipIntegrityTests
{
    private static readonly string Text = FaultData.Csv(3000);
    private static readonly byte[] Plain = Encoding.UTF8.GetBytes(Text);
    private static readonly byte[] Compressed = FaultData.Gzip(Plain);

    [Fact]
    public void Crc32_matches_the_check_value_and_the_framework_gzip_trailer()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
        Assert.Equal(0u, Crc32.Compute(ReadOnlySpan<byte>.Empty));
        var random = new Random(3);
        foreach (int length in new[] { 1, 7, 8, 9, 63, 1000, 65_537 })
        {
            var data = new byte[length];
            random.NextBytes(data);
            byte[] gz = FaultData.Gzip(data);
            Assert.Equal(BinaryPrimitives.ReadUInt32LittleEndian(gz.AsSpan(gz.Length - 8)), Crc32.Compute(data));
            var incremental = new Crc32();
            incremental.Append(data.AsSpan(0, length / 3));
            incremental.Append(data.AsSpan(length / 3));
            Assert.Equal(Crc32.Compute(data), incremental.Value);
        }
    }

    [Fact]
    public void A_complete_file_reads_every_row()
    {
        var log = InteractionCsvLoader.Load(FaultData.WriteFile(Compressed, "log.csv.gz"));
        Assert.Equal(FaultData.DataRows(Text), log.Count);
    }

    /// <summary>The case 1: any strict prefix of a gzip file fails loudly, naming the file; it never loads fewer rows.</summary>
    [Property(MaxTest = 60)]
    public bool A_truncated_gzip_never_loads(PositiveInt cut)
    {
        int length = cut.Get % Compressed.Length; // 0 .. length-1 bytes kept
        string path = FaultData.WriteFile(Compressed[..length], "cut.csv.gz");
        try
        {
            InteractionCsvLoader.Load(path);
            return false;
        }
        catch (DataFormatException e)
        {
            return e.Message.StartsWith(path, StringComparison.Ordinal) && !e.Message.Contains('\n');
        }
    }

    [Fact]
    public void Truncation_is_reported_as_such_with_the_file_name()
    {
        foreach (int keep in new[] { 10, 2500, Compressed.Length / 2, Compressed.Length - 8, Compressed.Length - 3, Compressed.Length - 1 })
        {
            string path = FaultData.WriteFile(Compressed[..keep], "cut.csv.gz");
            var e = Assert.Throws<DataFormatException>(() => InteractionCsvLoader.Load(path));
            Assert.Equal(path, e.File);
            Assert.Equal(0, e.Line);
            Assert.Contains("truncated", e.Message);
        }
    }

    /// <summary>A flipped byte anywhere: an error naming the file, or (a flip in a field nothing depends on: the header's
    /// modification time, OS byte or text flag, or the padding bits after the last deflate block) exactly the original rows.</summary>
    [Property(MaxTest = 80)]
    public bool A_flipped_byte_is_detected_or_harmless(PositiveInt position, byte mask)
    {
        if (mask == 0) mask = 0x40;
        var damaged = (byte[])Compressed.Clone();
        int at = position.Get % damaged.Length;
        damaged[at] ^= mask;
        string path = FaultData.WriteFile(damaged, "flip.csv.gz");
        try
        {
            var log = InteractionCsvLoader.Load(path);
            var original = InteractionCsvLoader.Load(FaultData.WriteFile(Compressed, "ok.csv.gz"));
            return log.Users.SequenceEqual(original.Users) && log.Items.SequenceEqual(original.Items) && log.Timestamps.SequenceEqual(original.Timestamps);
        }
        catch (DataFormatException e)
        {
            return e.Message.StartsWith(path, StringComparison.Ordinal) && !e.Message.Contains('\n');
        }
    }

    [Fact]
    public void Damage_that_decodes_to_a_bad_row_is_blamed_on_the_gzip_data()
    {
        // Stored (uncompressed) deflate blocks carry the text verbatim: change a digit of a timestamp into a letter.
        byte[] stored = FaultData.Gzip(Plain, CompressionLevel.NoCompression);
        int at = IndexOf(stored, Encoding.ASCII.GetBytes("1460005000")) + 5;
        stored[at] = (byte)'x';
        string path = FaultData.WriteFile(stored, "stored.csv.gz");
        var e = Assert.Throws<DataFormatException>(() => InteractionCsvLoader.Load(path));
        Assert.Equal(0, e.Line);
        Assert.Contains("CRC-32", e.Message);
        Assert.Contains("line 7 could not be read", e.Message);
    }

    [Fact]
    public void Concatenated_members_with_optional_header_fields_are_all_read_and_verified()
    {
        // Three members: a plain one, one with FEXTRA + FNAME + FCOMMENT + FHCRC (hand-built), and a plain one.
        string[] parts = { "user,item,timestamp\nu1,i1,1\n", "u2,i2,2\nu3,i3,3\n", "u4,i4,4\n" };
        byte[] first = FaultData.Gzip(Encoding.UTF8.GetBytes(parts[0]));
        byte[] second = HandBuiltMember(Encoding.UTF8.GetBytes(parts[1]));
        byte[] third = FaultData.Gzip(Encoding.UTF8.GetBytes(parts[2]));
        byte[] all = [.. first, .. second, .. third];
        var log = InteractionCsvLoader.Load(FaultData.WriteFile(all, "multi.csv.gz"));
        Assert.Equal(new[] { "u1", "u2", "u3", "u4" }, log.Users);

        // Its trailer checked like any other: a wrong CRC in the middle member is an error.
        byte[] bad = (byte[])all.Clone();
        bad[first.Length + second.Length - 8] ^= 1;
        var e = Assert.Throws<DataFormatException>(() => InteractionCsvLoader.Load(FaultData.WriteFile(bad, "bad.csv.gz")));
        Assert.Contains("CRC-32", e.Message);
        Assert.Contains($"starts at byte {first.Length}", e.Message);

        // A wrong header CRC-16 is an error too.
        bad = (byte[])all.Clone();
        bad[first.Length + 12] ^= 1; // inside FEXTRA
        e = Assert.Throws<DataFormatException>(() => InteractionCsvLoader.Load(FaultData.WriteFile(bad, "hcrc.csv.gz")));
        Assert.Contains("header", e.Message);
    }

    [Fact]
    public void Bytes_after_the_last_member_are_an_error()
    {
        byte[] withJunk = [.. Compressed, .. "junk"u8.ToArray()];
        var e = Assert.Throws<DataFormatException>(() => InteractionCsvLoader.Load(FaultData.WriteFile(withJunk, "junk.csv.gz")));
        Assert.Contains("not a gzip member", e.Message);
    }

    [Fact]
    public void Large_files_spanning_many_read_chunks_verify_and_detect_a_cut_near_the_end()
    {
        string big = FaultData.Csv(60_000, seed: 9);
        byte[] gz = FaultData.Gzip(Encoding.UTF8.GetBytes(big), CompressionLevel.Fastest);
        Assert.True(gz.Length > 200_000);
        Assert.Equal(60_000, InteractionCsvLoader.Load(FaultData.WriteFile(gz, "big.csv.gz")).Count);
        foreach (int lost in new[] { 1, 4, 8, 9, 5000, 70_000 })
        {
            var e = Assert.Throws<DataFormatException>(() => InteractionCsvLoader.Load(FaultData.WriteFile(gz[..^lost], "big-cut.csv.gz")));
            Assert.Contains("truncated", e.Message);
        }
    }

    [Fact]
    public void The_deskdrop_files_verify()
    {
        var log = InteractionCsvLoader.Load(Path.Combine(TestPaths.NotebooksData, "users_interactions.csv.gz"), InteractionCsvOptions.Deskdrop());
        Assert.Equal(72312, log.Count);
    }

    /// <summary>A gzip member with every optional header field (RFC 1952 section 2.3).</summary>
    private static byte[] HandBuiltMember(byte[] data)
    {
        var header = new List<byte> { 0x1f, 0x8b, 8, 0x02 | 0x04 | 0x08 | 0x10, 1, 2, 3, 4, 0, 3 };
        byte[] extra = { (byte)'A', (byte)'B', 2, 0, 7, 7 };
        header.Add((byte)extra.Length); header.Add(0); header.AddRange(extra);
        header.AddRange("name.csv\0"u8.ToArray());
        header.AddRange("a comment\0"u8.ToArray());
        uint hcrc = Crc32.Compute(header.ToArray()) & 0xFFFF;
        header.Add((byte)hcrc); header.Add((byte)(hcrc >> 8));
        var trailer = new byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(trailer, Crc32.Compute(data));
        BinaryPrimitives.WriteUInt32LittleEndian(trailer.AsSpan(4), (uint)data.Length);
        return [.. header, .. FaultData.Deflate(data), .. trailer];
    }

    private static int IndexOf(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle);
}
