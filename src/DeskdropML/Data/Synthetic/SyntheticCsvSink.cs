using System.IO.Compression;
using System.Text;

namespace DeskdropML.Data.Synthetic;

/// <summary>
/// Writes generated blocks as gzip CSV (<c>user,item,timestamp,event</c>; ids <c>u123</c> / <c>i45</c>; Unix seconds),
/// formatting straight into a byte buffer: no string per row.
/// </summary>
internal sealed class SyntheticCsvSink : IDisposable
{
    private readonly GZipStream _gzip;
    private readonly byte[][] _eventBytes;
    private readonly byte[] _buffer = new byte[1 << 16];
    private int _used;

    public SyntheticCsvSink(Stream output, IReadOnlyList<string> eventNames)
    {
        _gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true);
        _eventBytes = eventNames.Select(Encoding.UTF8.GetBytes).ToArray();
        Append(Encoding.UTF8.GetBytes(string.Join(",", SyntheticLogGenerator.Columns) + "\n"));
    }

    public void Write(SyntheticBatch batch)
    {
        for (int r = 0; r < batch.Count; r++)
        {
            var ev = _eventBytes[batch.Event[r]];
            if (_used + 64 + ev.Length > _buffer.Length) Flush();
            var span = _buffer.AsSpan(_used);
            int n = 0;
            span[n++] = (byte)'u';
            batch.User[r].TryFormat(span[n..], out int w); n += w;
            span[n++] = (byte)',';
            span[n++] = (byte)'i';
            batch.Item[r].TryFormat(span[n..], out w); n += w;
            span[n++] = (byte)',';
            batch.Time[r].TryFormat(span[n..], out w); n += w;
            span[n++] = (byte)',';
            ev.CopyTo(span[n..]); n += ev.Length;
            span[n++] = (byte)'\n';
            _used += n;
        }
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        if (_used + bytes.Length > _buffer.Length) Flush();
        bytes.CopyTo(_buffer.AsSpan(_used));
        _used += bytes.Length;
    }

    private void Flush()
    {
        _gzip.Write(_buffer, 0, _used);
        _used = 0;
    }

    public void Dispose()
    {
        Flush();
        _gzip.Dispose();
    }
}
