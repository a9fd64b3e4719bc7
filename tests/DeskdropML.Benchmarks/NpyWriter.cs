using System.Runtime.InteropServices;
using System.Text;

namespace DeskdropML.Benchmarks;

/// <summary>
/// Writes little-endian arrays in the NPY v1.0 file format (magic, version 1.0, a 2-byte header length, a Python
/// dict literal padded with spaces to a multiple of 64 bytes and ended by a newline, then the raw C-order data), so
/// measuring scripts outside the repository can load the benchmark matrices with <c>numpy.load</c>.
/// </summary>
public static class NpyWriter
{
    /// <summary>Writes a float32 array of the given shape (C order).</summary>
    public static void Write(string path, ReadOnlySpan<float> data, params int[] shape) => WriteRaw(path, "<f4", MemoryMarshal.AsBytes(data), data.Length, shape);

    /// <summary>Writes an int32 array of the given shape (C order).</summary>
    public static void Write(string path, ReadOnlySpan<int> data, params int[] shape) => WriteRaw(path, "<i4", MemoryMarshal.AsBytes(data), data.Length, shape);

    /// <summary>Writes an int64 array of the given shape (C order).</summary>
    public static void Write(string path, ReadOnlySpan<long> data, params int[] shape) => WriteRaw(path, "<i8", MemoryMarshal.AsBytes(data), data.Length, shape);

    /// <summary>The header bytes (magic to newline) for a dtype descriptor and shape; its length is a multiple of 64.</summary>
    public static byte[] Header(string descr, int[] shape)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("NPY writer assumes a little-endian machine.");
        string dims = shape.Length == 1 ? $"({shape[0]},)" : "(" + string.Join(", ", shape) + ")";
        string dict = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {dims}, }}";
        const int prefix = 10; // magic (6) + version (2) + header length (2)
        int total = (prefix + dict.Length + 1 + 63) / 64 * 64;
        var text = dict.PadRight(total - prefix - 1) + "\n";
        if (text.Length > ushort.MaxValue) throw new ArgumentException("NPY v1 header too long.", nameof(shape));
        var header = new byte[total];
        header[0] = 0x93;
        Encoding.ASCII.GetBytes("NUMPY", header.AsSpan(1));
        header[6] = 1;
        header[7] = 0;
        header[8] = (byte)(text.Length & 0xFF);
        header[9] = (byte)(text.Length >> 8);
        Encoding.ASCII.GetBytes(text, header.AsSpan(prefix));
        return header;
    }

    private static void WriteRaw(string path, string descr, ReadOnlySpan<byte> bytes, int count, int[] shape)
    {
        long expected = 1;
        foreach (int d in shape) expected *= d;
        if (expected != count) throw new ArgumentException($"shape ({string.Join(", ", shape)}) holds {expected} elements, data has {count}.", nameof(shape));
        using var stream = File.Create(path);
        stream.Write(Header(descr, shape));
        stream.Write(bytes);
    }
}
