using System.Buffers.Binary;
using System.IO.Compression;

namespace DeskdropML.Data;

/// <summary>
/// Decompresses a gzip file (RFC 1952; one member or several concatenated) and verifies each member completely:
/// the header, the deflate data, and the trailer's CRC-32 and ISIZE (length mod 2^32) against the bytes produced.
/// </summary>
/// <remarks>
/// <para><see cref="GZipStream"/> ends a cut-short stream silently, so a truncated file would read as a shorter
/// one. Here every member is inflated with a raw <see cref="DeflateStream"/> over a feed that records how many
/// compressed bytes it handed out; when the deflate data ends, the trailer is the 8 bytes whose CRC-32 and length
/// equal the ones computed over the member's output, searched from the start of the last chunk handed out (the
/// inflater stops inside that chunk). A match by chance has probability about 2^-64 per position.</para>
/// <para>Every failure is a <see cref="DataFormatException"/> naming the file (line 0): the file ends inside a
/// header or inside compressed data (truncated), the deflate data is invalid, the trailer does not match
/// (corrupt), or bytes that are not a gzip member follow the last member.</para>
/// </remarks>
internal sealed class GzipVerifyingStream : ForwardReadStream
{
    private readonly ByteSource _source;
    private readonly string _path;
    private DeflateStream? _deflate;
    private MemberFeed? _feed;
    private Crc32 _crc = new();
    private long _memberLength;
    private long _memberStart;
    private long _dataStart;
    private long _next;
    private int _members;
    private bool _done;

    /// <summary>Reads the gzip data of a seekable stream (which it owns) positioned anywhere; <paramref name="path"/> names it in errors.</summary>
    public GzipVerifyingStream(Stream compressed, string path)
    {
        ArgumentNullException.ThrowIfNull(compressed);
        if (!compressed.CanSeek) throw new ArgumentException("The compressed stream must be seekable.", nameof(compressed));
        _source = new ByteSource(compressed);
        _path = path;
    }

    /// <summary>Number of members completed and verified so far.</summary>
    public int MembersVerified => _members - (_deflate is null ? 0 : 1);

    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty) return 0;
        while (!_done)
        {
            if (_deflate is null)
            {
                if (!StartMember()) { _done = true; break; }
                continue;
            }
            int n;
            try { n = _deflate.Read(buffer); }
            catch (InvalidDataException e)
            {
                throw _feed!.AtEnd ? Truncated() : Fail($"the gzip data is corrupt: {e.Message.TrimEnd('.')} (in the member that starts at byte {_memberStart})");
            }
            if (n > 0)
            {
                _crc.Append(buffer[..n]);
                _memberLength += n;
                return n;
            }
            EndMember();
        }
        return 0;
    }

    private bool StartMember()
    {
        long pos = _next;
        if (pos >= _source.Length)
        {
            if (_members == 0) throw Fail("the gzip file is empty");
            return false;
        }
        var header = new List<byte>(16);
        int Next()
        {
            int b = _source.ByteAt(pos++);
            if (b < 0) throw Fail($"the gzip data is truncated: the file ends inside the header of the member that starts at byte {_next}");
            header.Add((byte)b);
            return b;
        }
        int id1 = Next(), id2 = Next();
        if (id1 != 0x1f || id2 != 0x8b)
            throw Fail(_members == 0
                ? "not gzip data (the file does not start with the gzip magic bytes 1f 8b)"
                : $"the gzip data is followed by {_source.Length - _next:N0} bytes that are not a gzip member (at byte {_next})");
        int method = Next();
        if (method != 8) throw Fail($"the gzip member at byte {_next} uses compression method {method}; only deflate (8) is defined");
        int flags = Next();
        if ((flags & 0xE0) != 0) throw Fail($"the gzip header at byte {_next} is corrupt (reserved flag bits 0x{flags & 0xE0:x2} are set)");
        for (int i = 0; i < 6; i++) Next(); // MTIME, XFL, OS
        if ((flags & 0x04) != 0)
        {
            int xlen = Next() | Next() << 8;
            for (int i = 0; i < xlen; i++) Next();
        }
        if ((flags & 0x08) != 0) while (Next() != 0) { } // file name
        if ((flags & 0x10) != 0) while (Next() != 0) { } // comment
        if ((flags & 0x02) != 0)
        {
            uint expected = Crc32.Compute(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(header)) & 0xFFFF;
            int stored = Next() | Next() << 8;
            if (stored != expected) throw Fail($"the gzip header at byte {_next} is corrupt (header CRC-16 mismatch)");
        }
        _memberStart = _next;
        _dataStart = pos;
        _feed = new MemberFeed(_source, pos);
        _deflate = new DeflateStream(_feed, CompressionMode.Decompress, leaveOpen: true);
        _crc = new Crc32();
        _memberLength = 0;
        _members++;
        return true;
    }

    private void EndMember()
    {
        uint crc = _crc.Value;
        uint isize = unchecked((uint)_memberLength);
        var feed = _feed!;
        // The inflater stopped inside the last chunk it was handed (or, at a chunk boundary, the one before).
        long from = Math.Max(_dataStart, feed.PreviousChunkStart);
        long to = Math.Min(feed.Fed, _source.Length - 8);
        long found = -1;
        bool lengthOnly = false;
        uint storedCrc = 0;
        if (to >= from)
        {
            var window = new byte[(int)(to - from) + 8];
            _source.CopyAt(from, window);
            for (int e = 0; e + 8 <= window.Length; e++)
            {
                uint c = BinaryPrimitives.ReadUInt32LittleEndian(window.AsSpan(e));
                uint n = BinaryPrimitives.ReadUInt32LittleEndian(window.AsSpan(e + 4));
                if (c == crc && n == isize) { found = from + e; break; }
                if (n == isize && !lengthOnly) { lengthOnly = true; storedCrc = c; }
            }
        }
        _deflate!.Dispose();
        _deflate = null;
        _feed = null;
        if (found >= 0)
        {
            _next = found + 8;
            return;
        }
        if (feed.AtEnd) throw Truncated();
        throw Fail(lengthOnly
            ? $"the gzip data is corrupt: the CRC-32 of the decompressed data is {crc:x8} but the trailer says {storedCrc:x8} (member that starts at byte {_memberStart})"
            : $"the gzip data is corrupt: its trailer (CRC-32 and length) does not match the {_memberLength:N0} decompressed bytes (member that starts at byte {_memberStart})");
    }

    private DataFormatException Truncated() => Fail(
        $"the gzip data is truncated: the file ends at byte {_source.Length:N0} inside the member that starts at byte {_memberStart}, " +
        $"before its CRC-32/length trailer ({_memberLength:N0} bytes decompressed before the cut)");

    private DataFormatException Fail(string problem) => new(_path, 0, null, problem);

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _deflate?.Dispose();
            _source.Dispose();
        }
        base.Dispose(disposing);
    }

    /// <summary>Random access to the compressed bytes through one read-ahead buffer.</summary>
    private sealed class ByteSource(Stream stream) : IDisposable
    {
        private readonly byte[] _buffer = new byte[1 << 16];
        private long _bufferStart;
        private int _bufferLength;

        public long Length { get; } = stream.Length;

        /// <summary>Copies up to <paramref name="destination"/>.Length bytes from <paramref name="offset"/>; 0 at the end.</summary>
        public int ReadAt(long offset, Span<byte> destination)
        {
            if (offset >= Length) return 0;
            if (offset < _bufferStart || offset >= _bufferStart + _bufferLength) Fill(offset);
            int at = (int)(offset - _bufferStart);
            int n = Math.Min(destination.Length, _bufferLength - at);
            _buffer.AsSpan(at, n).CopyTo(destination);
            return n;
        }

        public int ByteAt(long offset)
        {
            Span<byte> one = stackalloc byte[1];
            return ReadAt(offset, one) == 1 ? one[0] : -1;
        }

        public void CopyAt(long offset, Span<byte> destination)
        {
            int done = 0;
            while (done < destination.Length)
            {
                int n = ReadAt(offset + done, destination[done..]);
                if (n == 0) throw new EndOfStreamException();
                done += n;
            }
        }

        private void Fill(long offset)
        {
            stream.Position = offset;
            int total = 0;
            while (total < _buffer.Length)
            {
                int n = stream.Read(_buffer, total, _buffer.Length - total);
                if (n == 0) break;
                total += n;
            }
            _bufferStart = offset;
            _bufferLength = total;
        }

        public void Dispose() => stream.Dispose();
    }

    /// <summary>The compressed bytes from a member's deflate data on, recording what the inflater was handed.</summary>
    private sealed class MemberFeed(ByteSource source, long start) : ForwardReadStream
    {
        /// <summary>Offset of the next byte to hand out (everything before it was handed to the inflater).</summary>
        public long Fed { get; private set; } = start;

        /// <summary>Offset of the first byte of the chunk handed out before the last one.</summary>
        public long PreviousChunkStart { get; private set; } = start;

        private long _lastChunkStart = start;

        /// <summary>True when every byte of the file has been handed out.</summary>
        public bool AtEnd => Fed >= source.Length;

        public override int Read(Span<byte> buffer)
        {
            int n = source.ReadAt(Fed, buffer);
            if (n > 0)
            {
                PreviousChunkStart = _lastChunkStart;
                _lastChunkStart = Fed;
                Fed += n;
            }
            return n;
        }

    }
}

/// <summary>A read-only, forward-only stream: subclasses implement <see cref="Stream.Read(Span{byte})"/> only.</summary>
internal abstract class ForwardReadStream : Stream
{
    /// <inheritdoc />
    public abstract override int Read(Span<byte> buffer);
    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
    /// <inheritdoc />
    public override bool CanRead => true;
    /// <inheritdoc />
    public override bool CanSeek => false;
    /// <inheritdoc />
    public override bool CanWrite => false;
    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();
    /// <inheritdoc />
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    /// <inheritdoc />
    public override void Flush() { }
    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();
    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
