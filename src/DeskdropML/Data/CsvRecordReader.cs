using System.IO.Compression;
using System.Text;

namespace DeskdropML.Data;

/// <summary>
/// A streaming RFC 4180 CSV reader: comma separated, fields optionally quoted with <c>"</c>, a doubled
/// quote inside a quoted field is a literal quote, quoted fields may span lines. Tracks the physical line on
/// which each record starts so errors can name it. Files ending in <c>.gz</c> (or starting with the gzip
/// magic bytes) are decompressed on the fly.
/// </summary>
public sealed class CsvRecordReader : IDisposable
{
    private readonly TextReader _reader;
    private readonly char[] _buffer = new char[1 << 16];
    private int _length;
    private int _position;
    private long _line = 1;
    private readonly StringBuilder _field = new();
    private readonly List<string> _fields = new();

    /// <summary>Opens a CSV file (plain or gzip).</summary>
    /// <exception cref="DataFormatException">The file does not exist or cannot be read.</exception>
    public CsvRecordReader(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        FilePath = path;
        if (!System.IO.File.Exists(path))
            throw new DataFormatException(path, 0, null, "file not found");
        Stream stream = System.IO.File.OpenRead(path);
        var magic = new byte[2];
        int read = stream.Read(magic, 0, 2);
        stream.Position = 0;
        if (read == 2 && magic[0] == 0x1f && magic[1] == 0x8b)
            stream = new GZipStream(stream, CompressionMode.Decompress);
        _reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
    }

    /// <summary>Reads CSV text from a reader (for tests and in-memory data).</summary>
    public CsvRecordReader(TextReader reader, string name)
    {
        _reader = reader ?? throw new ArgumentNullException(nameof(reader));
        FilePath = name ?? throw new ArgumentNullException(nameof(name));
    }

    /// <summary>The file name used in error messages.</summary>
    public string FilePath { get; }

    /// <summary>The 1-based physical line on which the last returned record started.</summary>
    public long RecordLine { get; private set; }

    /// <summary>
    /// Reads the next record's fields into a list owned by the reader (valid until the next call).
    /// Returns null at the end of the file. A completely empty line is skipped.
    /// </summary>
    /// <exception cref="DataFormatException">A quoted field is not closed before the end of the file.</exception>
    public IReadOnlyList<string>? ReadRecord()
    {
        while (true)
        {
            if (!EnsureData()) return null;
            // Skip empty lines (a lone line break) between records.
            char first = _buffer[_position];
            if (first == '\n') { _position++; _line++; continue; }
            if (first == '\r') { _position++; if (EnsureData() && _buffer[_position] == '\n') _position++; _line++; continue; }
            break;
        }
        RecordLine = _line;
        _fields.Clear();
        _field.Clear();
        bool quoted = false;
        bool fieldWasQuoted = false;
        while (true)
        {
            if (!EnsureData())
            {
                if (quoted)
                    throw new DataFormatException(FilePath, RecordLine, null, "a quoted field is not closed before the end of the file");
                _fields.Add(_field.ToString());
                return _fields;
            }
            char c = _buffer[_position++];
            if (quoted)
            {
                if (c == '"')
                {
                    if (EnsureData() && _buffer[_position] == '"') { _field.Append('"'); _position++; }
                    else quoted = false;
                }
                else
                {
                    if (c == '\n') _line++;
                    _field.Append(c);
                }
                continue;
            }
            switch (c)
            {
                case ',':
                    _fields.Add(_field.ToString());
                    _field.Clear();
                    fieldWasQuoted = false;
                    break;
                case '"' when _field.Length == 0 && !fieldWasQuoted:
                    quoted = true;
                    fieldWasQuoted = true;
                    break;
                case '\r':
                    if (EnsureData() && _buffer[_position] == '\n') _position++;
                    _line++;
                    _fields.Add(_field.ToString());
                    return _fields;
                case '\n':
                    _line++;
                    _fields.Add(_field.ToString());
                    return _fields;
                default:
                    _field.Append(c);
                    break;
            }
        }
    }

    private bool EnsureData()
    {
        if (_position < _length) return true;
        _length = _reader.Read(_buffer, 0, _buffer.Length);
        _position = 0;
        return _length > 0;
    }

    /// <inheritdoc />
    public void Dispose() => _reader.Dispose();
}
