using System.Buffers;
using System.Text.Unicode;

namespace DeskdropML.Data;

/// <summary>
/// A streaming RFC 4180 CSV reader: comma separated, fields optionally quoted with <c>"</c>, a doubled
/// quote inside a quoted field is a literal quote, quoted fields may span lines. Tracks the physical line on
/// which each record starts, and the character position where each field starts, so errors can name them.
/// </summary>
/// <remarks>
/// <para>Files are strict UTF-8 (a leading byte-order mark is skipped): a byte sequence that is not UTF-8 is a
/// <see cref="DataFormatException"/> naming its line and character position, never a replacement character
/// (which would silently merge two different ids).</para>
/// <para>Files starting with the gzip magic bytes are decompressed on the fly and verified (every member's
/// CRC-32 and length; truncation, corruption and trailing garbage are errors naming the file). A record that
/// fails to parse in a gzip file may be a symptom of damage: <see cref="Explain"/> checks the rest of the file
/// and returns the gzip error instead when there is one.</para>
/// </remarks>
public sealed class CsvRecordReader : IDisposable
{
    private readonly TextReader? _text;
    private readonly Stream? _stream;
    private readonly GzipVerifyingStream? _gzip;
    private readonly byte[] _bytes = Array.Empty<byte>();
    private int _byteStart;
    private int _byteEnd;
    private bool _byteEof;
    private bool _started;
    private readonly char[] _buffer = new char[1 << 16];
    private int _length;
    private int _position;
    private long _line = 1;
    private long _consumedBase;
    private long _lineStart;
    private char[] _record = new char[256];
    private int _recordLength;
    private int[] _fieldBounds = new int[32];
    private readonly List<string> _fields = new();
    private readonly List<int> _fieldPositions = new();

    /// <summary>Opens a CSV file (plain or gzip).</summary>
    /// <exception cref="DataFormatException">The file does not exist, is a folder, or is not readable gzip data.</exception>
    public CsvRecordReader(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        FilePath = path;
        if (Directory.Exists(path))
            throw new DataFormatException(path, 0, null, "is a folder, not a file");
        if (!System.IO.File.Exists(path))
            throw new DataFormatException(path, 0, null, "file not found");
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        (_stream, _gzip) = Open(stream, path);
        _bytes = new byte[1 << 16];
    }

    /// <summary>
    /// Reads UTF-8 CSV bytes from a stream (which the reader owns). A seekable stream starting with the gzip magic
    /// bytes is decompressed and verified. <paramref name="name"/> names the data in errors.
    /// </summary>
    public CsvRecordReader(Stream stream, string name)
    {
        ArgumentNullException.ThrowIfNull(stream);
        FilePath = name ?? throw new ArgumentNullException(nameof(name));
        (_stream, _gzip) = Open(stream, name);
        _bytes = new byte[1 << 16];
    }

    /// <summary>Reads CSV text from a reader (for tests and in-memory data).</summary>
    public CsvRecordReader(TextReader reader, string name)
    {
        _text = reader ?? throw new ArgumentNullException(nameof(reader));
        FilePath = name ?? throw new ArgumentNullException(nameof(name));
    }

    private static (Stream, GzipVerifyingStream?) Open(Stream stream, string name)
    {
        if (!stream.CanSeek) return (stream, null);
        Span<byte> magic = stackalloc byte[2];
        long start = stream.Position;
        int read = stream.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        stream.Position = start;
        if (read == 2 && magic[0] == 0x1f && magic[1] == 0x8b)
        {
            var gzip = new GzipVerifyingStream(stream, name);
            return (gzip, gzip);
        }
        return (stream, null);
    }

    /// <summary>The file name used in error messages.</summary>
    public string FilePath { get; }

    /// <summary>True when the data is gzip-compressed.</summary>
    public bool IsCompressed => _gzip is not null;

    /// <summary>The 1-based physical line on which the last returned record started.</summary>
    public long RecordLine { get; private set; }

    /// <summary>The 1-based character position (on its line) where field <paramref name="index"/> of the last record starts.</summary>
    public int FieldPosition(int index) => index >= 0 && index < _fieldPositions.Count ? _fieldPositions[index] : 0;

    /// <summary>
    /// Reads the next record's fields into a list owned by the reader (valid until the next call).
    /// Returns null at the end of the file. A completely empty line is skipped.
    /// </summary>
    /// <exception cref="DataFormatException">A quoted field is not closed before the end of the file, the bytes
    /// are not UTF-8, or the gzip data is damaged.</exception>
    public IReadOnlyList<string>? ReadRecord()
    {
        if (!ReadFields()) return null;
        _fields.Clear();
        for (int i = 0; i < FieldCount; i++) _fields.Add(new string(Field(i)));
        return _fields;
    }

    /// <summary>
    /// Reads the next record without allocating: its fields are then <see cref="Field"/>(0 .. <see cref="FieldCount"/> − 1),
    /// spans over a buffer owned by the reader, valid until the next call. Returns false at the end of the file.
    /// Same grammar and errors as <see cref="ReadRecord"/>.
    /// </summary>
    public bool ReadFields()
    {
        while (true)
        {
            if (!EnsureData()) return false;
            // Skip empty lines (a lone line break) between records.
            char first = _buffer[_position];
            if (first == '\n') { _position++; NewLine(); continue; }
            if (first == '\r') { _position++; if (EnsureData() && _buffer[_position] == '\n') _position++; NewLine(); continue; }
            break;
        }
        RecordLine = _line;
        _recordLength = 0;
        FieldCount = 0;
        _fieldPositions.Clear();
        _fieldPositions.Add(CurrentPosition);
        int fieldStart = 0;
        bool quoted = false;
        bool fieldWasQuoted = false;
        while (true)
        {
            if (!EnsureData())
            {
                if (quoted)
                    throw new DataFormatException(FilePath, RecordLine, null, "a quoted field is not closed before the end of the file", _fieldPositions[^1]);
                EndField(fieldStart);
                return true;
            }
            char c = _buffer[_position++];
            if (quoted)
            {
                if (c == '"')
                {
                    if (EnsureData() && _buffer[_position] == '"') { Append('"'); _position++; }
                    else quoted = false;
                }
                else
                {
                    if (c == '\n') NewLine();
                    Append(c);
                    AppendRun(QuotedSpecials);
                }
                continue;
            }
            switch (c)
            {
                case ',':
                    EndField(fieldStart);
                    fieldStart = _recordLength;
                    _fieldPositions.Add(CurrentPosition);
                    fieldWasQuoted = false;
                    break;
                case '"' when _recordLength == fieldStart && !fieldWasQuoted:
                    quoted = true;
                    fieldWasQuoted = true;
                    break;
                case '\r':
                    if (EnsureData() && _buffer[_position] == '\n') _position++;
                    NewLine();
                    EndField(fieldStart);
                    return true;
                case '\n':
                    NewLine();
                    EndField(fieldStart);
                    return true;
                default:
                    Append(c);
                    AppendRun(UnquotedSpecials);
                    break;
            }
        }
    }

    /// <summary>The number of fields of the record last read by <see cref="ReadFields"/>.</summary>
    public int FieldCount { get; private set; }

    /// <summary>Field <paramref name="index"/> of the record last read by <see cref="ReadFields"/> (valid until the next read).</summary>
    public ReadOnlySpan<char> Field(int index)
    {
        if ((uint)index >= (uint)FieldCount) throw new ArgumentOutOfRangeException(nameof(index), index, $"The record has {FieldCount} fields.");
        int start = _fieldBounds[2 * index];
        return _record.AsSpan(start, _fieldBounds[2 * index + 1] - start);
    }

    private static readonly SearchValues<char> UnquotedSpecials = SearchValues.Create(",\"\r\n");
    private static readonly SearchValues<char> QuotedSpecials = SearchValues.Create("\"\n");

    /// <summary>Copies the characters up to the next special one (or the end of the buffer) into the record.</summary>
    private void AppendRun(SearchValues<char> specials)
    {
        var rest = _buffer.AsSpan(_position, _length - _position);
        int run = rest.IndexOfAny(specials);
        if (run < 0) run = rest.Length;
        if (run == 0) return;
        EnsureRecordCapacity(run);
        rest[..run].CopyTo(_record.AsSpan(_recordLength));
        _recordLength += run;
        _position += run;
    }

    private void Append(char c)
    {
        if (_recordLength == _record.Length) EnsureRecordCapacity(1);
        _record[_recordLength++] = c;
    }

    private void EnsureRecordCapacity(int more)
    {
        if (_recordLength + more <= _record.Length) return;
        Array.Resize(ref _record, Math.Max(_record.Length * 2, _recordLength + more));
    }

    private void EndField(int start)
    {
        if (2 * FieldCount + 2 > _fieldBounds.Length) Array.Resize(ref _fieldBounds, _fieldBounds.Length * 2);
        _fieldBounds[2 * FieldCount] = start;
        _fieldBounds[2 * FieldCount + 1] = _recordLength;
        FieldCount++;
    }

    /// <summary>
    /// Given an error found while parsing a record, checks whether the file itself is damaged: for gzip data, reads
    /// and verifies the rest of the file and returns the gzip error (which explains the bad record) when there is
    /// one; otherwise returns <paramref name="recordError"/>.
    /// </summary>
    public DataFormatException Explain(DataFormatException recordError)
    {
        ArgumentNullException.ThrowIfNull(recordError);
        if (_gzip is null || recordError.Line <= 0) return recordError;
        try
        {
            var sink = new byte[1 << 16];
            while (_gzip.Read(sink) > 0) { }
        }
        catch (DataFormatException damaged)
        {
            return new DataFormatException(damaged.File, 0, null,
                $"{damaged.Problem}; line {recordError.Line} could not be read ({recordError.Problem})");
        }
        return recordError;
    }

    private int CurrentPosition => (int)Math.Min(int.MaxValue, _consumedBase + _position - _lineStart + 1);

    private void NewLine()
    {
        _line++;
        _lineStart = _consumedBase + _position;
    }

    private bool EnsureData()
    {
        if (_position < _length) return true;
        _consumedBase += _length;
        _length = 0;
        _position = 0;
        if (_text is not null)
        {
            _length = _text.Read(_buffer, 0, _buffer.Length);
            return _length > 0;
        }
        return Decode();
    }

    /// <summary>Decodes the next chunk of bytes as strict UTF-8 into the character buffer.</summary>
    private bool Decode()
    {
        while (true)
        {
            var pending = _bytes.AsSpan(_byteStart, _byteEnd - _byteStart);
            if (!_started && (pending.Length >= 3 || _byteEof))
            {
                _started = true;
                if (pending.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) { _byteStart += 3; continue; }
                if (pending.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || pending.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
                    throw new DataFormatException(FilePath, 1, null, "the file is UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8", 1);
            }
            if (_started && (!pending.IsEmpty || _byteEof))
            {
                var status = Utf8.ToUtf16(pending, _buffer, out int read, out int written, replaceInvalidSequences: false, isFinalBlock: _byteEof);
                _byteStart += read;
                if (written > 0)
                {
                    _length = written;
                    return true;
                }
                if (status == OperationStatus.InvalidData) throw InvalidUtf8();
                if (_byteEof) return false;
            }
            if (_byteStart > 0)
            {
                _bytes.AsSpan(_byteStart, _byteEnd - _byteStart).CopyTo(_bytes);
                _byteEnd -= _byteStart;
                _byteStart = 0;
            }
            int n = _stream!.Read(_bytes, _byteEnd, _bytes.Length - _byteEnd);
            if (n == 0) _byteEof = true;
            else _byteEnd += n;
        }
    }

    private DataFormatException InvalidUtf8()
    {
        var bad = _bytes.AsSpan(_byteStart, Math.Min(4, _byteEnd - _byteStart));
        string hex = bad.IsEmpty ? "" : " " + Convert.ToHexString(bad[..1]).ToLowerInvariant();
        string problem = _byteEof && _byteEnd - _byteStart < 4 && bad.Length > 0 && bad[0] >= 0xC0
            ? $"invalid UTF-8: the file ends inside a multi-byte character (byte{hex})"
            : $"invalid UTF-8: byte{hex} is not part of a valid UTF-8 character (the file must be UTF-8 encoded)";
        return new DataFormatException(FilePath, _line, null, problem, CurrentPosition);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _text?.Dispose();
        _stream?.Dispose();
    }
}
