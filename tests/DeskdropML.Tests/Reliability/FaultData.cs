using System.IO.Compression;
using System.Text;

namespace DeskdropML.Tests.Reliability;

/// <summary>Small interaction files, gzip helpers and byte surgery for the fault-injection tests.</summary>
internal static class FaultData
{
    /// <summary>A <c>user,item,timestamp</c> CSV with <paramref name="rows"/> rows (seconds, increasing), deterministic.</summary>
    public static string Csv(int rows, int seed = 1, int users = 60, int items = 80)
    {
        var random = new Random(seed);
        var sb = new StringBuilder("user,item,timestamp\n");
        for (int r = 0; r < rows; r++)
            sb.Append('u').Append(random.Next(users)).Append(",i").Append(random.Next(items)).Append(',').Append(1_460_000_000L + r * 1000L).Append('\n');
        return sb.ToString();
    }

    /// <summary>Gzip-compresses bytes as one member (the framework's writer).</summary>
    public static byte[] Gzip(byte[] data, CompressionLevel level = CompressionLevel.Optimal)
    {
        using var buffer = new MemoryStream();
        using (var gz = new GZipStream(buffer, level, leaveOpen: true)) gz.Write(data);
        return buffer.ToArray();
    }

    /// <summary>Raw deflate data of <paramref name="data"/>.</summary>
    public static byte[] Deflate(byte[] data, CompressionLevel level = CompressionLevel.Optimal)
    {
        using var buffer = new MemoryStream();
        using (var d = new DeflateStream(buffer, level, leaveOpen: true)) d.Write(data);
        return buffer.ToArray();
    }

    /// <summary>Writes bytes to a new file in a fresh temporary folder and returns its path.</summary>
    public static string WriteFile(byte[] bytes, string name)
    {
        string path = Path.Combine(TestPaths.NewTempDirectory(), name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public static string WriteFile(string text, string name) => WriteFile(Encoding.UTF8.GetBytes(text), name);

    /// <summary>Number of data rows (lines after the header) of a CSV text without quoted line breaks.</summary>
    public static int DataRows(string csv) => csv.Count(c => c == '\n') - 1;
}
