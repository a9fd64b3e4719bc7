using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using DeskdropML.Recommending;
using DeskdropML.Sparse;

namespace DeskdropML.Persistence;

/// <summary>
/// The binary format of a stored factorization model (zip entry <see cref="FactorizationModelZip.EntryName"/>).
/// </summary>
/// <remarks>
/// All numbers little-endian. Layout:
/// <code>
/// header : 8 bytes magic "DDMLFACT" | int32 format version (2) | int64 payload length n
/// payload: string modelKind | string userIdColumn | string itemIdColumn
///          user id encoding | item id encoding                        (version 2 only)
///          int32 users U | int32 items I | int32 dimension D          (packed length P = D + 2)
///          U strings (user ids) | I strings (item ids)
///          U uint64 raw user id values, when the user ids are not text (version 2 only)
///          I uint64 raw item id values, when the item ids are not text (version 2 only)
///          U bytes hasTrainingInteractions (0 or 1)
///          U*P float32 packed user vectors | I*P float32 packed item vectors (row-major)
///          CSR training matrix: int32 rows (= U) | int32 columns (= I) | int32 nnz
///                               (U+1) int32 row pointers | nnz int32 column indices | nnz float32 values
///          I float32 fallback scores
/// trailer: uint64 FNV-1a hash of the n payload bytes
/// string = int32 byte count + UTF-8 bytes
/// id encoding = byte kind (0 text, 1 integer, 2 key) | byte raw type (0 text; 1..8 = sbyte, byte, short, ushort,
///               int, uint, long, ulong) | uint64 key count (0 unless a key)
/// </code>
/// Version 1 (text ids, no encodings) is still read.
/// Reading checks the magic, the version, every length against the bytes left, the hash and the structure of the
/// id maps and the CSR matrix, and reports any problem as an <see cref="InvalidDataException"/>.
/// </remarks>
internal static class FactorizationModelBinary
{
    public const int FormatVersion = 2;
    private static readonly byte[] Magic = "DDMLFACT"u8.ToArray();
    private const int HeaderLength = 8 + 4 + 8;

    public static byte[] Write(StoredFactorizationModel model)
    {
        using var payload = new MemoryStream();
        using (var w = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true))
        {
            WriteString(w, model.ModelKind);
            WriteString(w, model.UserIdColumnName);
            WriteString(w, model.ItemIdColumnName);
            WriteEncoding(w, model.UserIdEncoding);
            WriteEncoding(w, model.ItemIdEncoding);
            w.Write(model.Users.Count);
            w.Write(model.Items.Count);
            w.Write(model.Dimension);
            foreach (string id in model.Users.Ids) WriteString(w, id);
            foreach (string id in model.Items.Ids) WriteString(w, id);
            foreach (ulong raw in model.UserIdEncoding.RawValues ?? []) w.Write(raw);
            foreach (ulong raw in model.ItemIdEncoding.RawValues ?? []) w.Write(raw);
            for (int u = 0; u < model.Users.Count; u++) w.Write(model.HasTrainingInteractions(u) ? (byte)1 : (byte)0);
            WriteFloats(w, model.PackedUserVectors);
            WriteFloats(w, model.PackedItemVectors);
            var csr = model.TrainingInteractions;
            w.Write(csr.Rows);
            w.Write(csr.Columns);
            w.Write(csr.NonZeroCount);
            WriteInts(w, csr.RowPointers);
            WriteInts(w, csr.ColumnIndices);
            WriteFloats(w, csr.Values);
            WriteFloats(w, model.FallbackScores);
        }
        byte[] body = payload.ToArray();
        var result = new byte[HeaderLength + body.Length + 8];
        Magic.CopyTo(result, 0);
        BinaryPrimitives.WriteInt32LittleEndian(result.AsSpan(8), FormatVersion);
        BinaryPrimitives.WriteInt64LittleEndian(result.AsSpan(12), body.Length);
        body.CopyTo(result, HeaderLength);
        BinaryPrimitives.WriteUInt64LittleEndian(result.AsSpan(HeaderLength + body.Length), Fnv1a(body));
        return result;
    }

    /// <summary>Parses the bytes; <paramref name="source"/> names the file and entry in error messages.</summary>
    public static StoredFactorizationModel Read(byte[] bytes, string source)
    {
        if (bytes.Length < HeaderLength + 8 || !bytes.AsSpan(0, 8).SequenceEqual(Magic))
            throw new InvalidDataException($"{source}: not a DeskdropML factorization model (missing the \"DDMLFACT\" header).");
        int version = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(8));
        if (version is < 1 or > FormatVersion)
            throw new InvalidDataException($"{source}: model format version {version} is not supported; this library reads versions 1 to {FormatVersion}.");
        long length = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(12));
        if (length < 0 || length != bytes.Length - HeaderLength - 8)
            throw new InvalidDataException($"{source}: the header announces {length} payload bytes but the entry holds {bytes.Length - HeaderLength - 8}; the file is truncated or corrupt.");
        var body = bytes.AsSpan(HeaderLength, (int)length);
        ulong expected = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(HeaderLength + (int)length));
        if (Fnv1a(body) != expected)
            throw new InvalidDataException($"{source}: checksum mismatch; the model bytes are corrupt.");
        try
        {
            return Parse(new Reader(bytes, HeaderLength, HeaderLength + (int)length, source), version);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{source}: invalid model content: {e.Message}", e);
        }
    }

    private static StoredFactorizationModel Parse(Reader r, int version)
    {
        string kind = r.String(), userColumn = r.String(), itemColumn = r.String();
        var userHeader = version >= 2 ? (r.Byte(), r.Byte(), r.UInt64("key count")) : ((byte)0, (byte)0, 0UL);
        var itemHeader = version >= 2 ? (r.Byte(), r.Byte(), r.UInt64("key count")) : ((byte)0, (byte)0, 0UL);
        int users = r.Count("user count"), items = r.Count("item count"), dimension = r.Count("dimension");
        long packed = dimension + 2L;
        var userIds = new string[users];
        for (int u = 0; u < users; u++) userIds[u] = r.String();
        var itemIds = new string[items];
        for (int i = 0; i < items; i++) itemIds[i] = r.String();
        var userEncoding = IdEncoding.FromStored(userHeader.Item1, userHeader.Item2, userHeader.Item3,
            userHeader.Item1 == 0 ? null : r.UInt64s(users, "raw user ids"), users);
        var itemEncoding = IdEncoding.FromStored(itemHeader.Item1, itemHeader.Item2, itemHeader.Item3,
            itemHeader.Item1 == 0 ? null : r.UInt64s(items, "raw item ids"), items);
        var hasTraining = new bool[users];
        for (int u = 0; u < users; u++)
        {
            byte b = r.Byte();
            if (b > 1) throw r.Error($"hasTrainingInteractions of user {u} is {b}; expected 0 or 1.");
            hasTraining[u] = b == 1;
        }
        float[] userVectors = r.Floats(users * packed, "packed user vectors");
        float[] itemVectors = r.Floats(items * packed, "packed item vectors");
        int rows = r.Count("matrix rows"), columns = r.Count("matrix columns"), nnz = r.Count("matrix entries");
        if (rows != users || columns != items)
            throw r.Error($"the training matrix is {rows} x {columns}; expected {users} x {items}.");
        int[] pointers = r.Ints(rows + 1L, "row pointers");
        int[] indices = r.Ints(nnz, "column indices");
        float[] values = r.Floats(nnz, "matrix values");
        float[] fallback = r.Floats(items, "fallback scores");
        if (!r.AtEnd) throw r.Error("unexpected bytes after the fallback scores.");
        var matrix = new CsrMatrix(rows, columns, pointers, indices, values);
        return new StoredFactorizationModel(kind, userColumn, itemColumn, new IdMap(userIds), new IdMap(itemIds),
            dimension, userVectors, itemVectors, hasTraining, matrix, fallback, userEncoding, itemEncoding);
    }

    private static void WriteEncoding(BinaryWriter w, IdEncoding encoding)
    {
        w.Write((byte)encoding.Kind);
        w.Write(encoding.RawTypeCode);
        w.Write(encoding.KeyCount);
    }

    private static void WriteString(BinaryWriter w, string s)
    {
        byte[] b = Encoding.UTF8.GetBytes(s);
        w.Write(b.Length);
        w.Write(b);
    }

    private static void WriteFloats(BinaryWriter w, ReadOnlySpan<float> values)
    {
        if (BitConverter.IsLittleEndian) { w.Write(MemoryMarshal.AsBytes(values)); return; }
        foreach (float v in values) w.Write(v);
    }

    private static void WriteInts(BinaryWriter w, ReadOnlySpan<int> values)
    {
        if (BitConverter.IsLittleEndian) { w.Write(MemoryMarshal.AsBytes(values)); return; }
        foreach (int v in values) w.Write(v);
    }

    private static ulong Fnv1a(ReadOnlySpan<byte> data)
    {
        ulong hash = 14695981039346656037UL;
        foreach (byte b in data) { hash ^= b; hash *= 1099511628211UL; }
        return hash;
    }

    /// <summary>Bounds-checked little-endian reader over a byte range.</summary>
    private sealed class Reader(byte[] bytes, int position, int end, string source)
    {
        private int _pos = position;

        public bool AtEnd => _pos == end;

        public InvalidDataException Error(string what) => new($"{source}: {what}");

        private ReadOnlySpan<byte> Take(long count, string what)
        {
            if (count < 0 || count > end - _pos)
                throw Error($"{what} needs {count} bytes but only {end - _pos} remain; the model is truncated or corrupt.");
            var span = bytes.AsSpan(_pos, (int)count);
            _pos += (int)count;
            return span;
        }

        public byte Byte() => Take(1, "a flag")[0];

        public int Int32(string what) => BinaryPrimitives.ReadInt32LittleEndian(Take(4, what));

        public int Count(string what)
        {
            int n = Int32(what);
            if (n < 0) throw Error($"{what} is {n}; it must not be negative.");
            return n;
        }

        public string String()
        {
            int n = Count("string length");
            return Encoding.UTF8.GetString(Take(n, "a string"));
        }

        public ulong UInt64(string what) => BinaryPrimitives.ReadUInt64LittleEndian(Take(8, what));

        public ulong[] UInt64s(long count, string what)
        {
            var span = Take(checked(count * 8), what);
            var result = new ulong[count];
            for (int i = 0; i < result.Length; i++) result[i] = BinaryPrimitives.ReadUInt64LittleEndian(span.Slice(i * 8));
            return result;
        }

        public float[] Floats(long count, string what)
        {
            var span = Take(checked(count * 4), what);
            var result = new float[count];
            for (int i = 0; i < result.Length; i++) result[i] = BinaryPrimitives.ReadSingleLittleEndian(span.Slice(i * 4));
            return result;
        }

        public int[] Ints(long count, string what)
        {
            var span = Take(checked(count * 4), what);
            var result = new int[count];
            for (int i = 0; i < result.Length; i++) result[i] = BinaryPrimitives.ReadInt32LittleEndian(span.Slice(i * 4));
            return result;
        }
    }
}
