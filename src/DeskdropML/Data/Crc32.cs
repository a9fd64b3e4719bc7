namespace DeskdropML.Data;

/// <summary>
/// CRC-32 as used by gzip (RFC 1952) and zip: the reflected polynomial <c>0xEDB88320</c>, initial value and final
/// XOR <c>0xFFFFFFFF</c>. The check value of the ASCII bytes <c>123456789</c> is <c>0xCBF43926</c>.
/// </summary>
/// <remarks>Computed eight bytes at a time with eight 256-entry tables ("slicing by 8").</remarks>
internal sealed class Crc32
{
    private static readonly uint[] Tables = BuildTables();
    private uint _state = 0xFFFFFFFFu;

    /// <summary>The CRC-32 of everything appended so far.</summary>
    public uint Value => ~_state;

    /// <summary>Adds bytes to the checksum.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        uint crc = _state;
        var t = Tables;
        int i = 0;
        for (; i + 8 <= data.Length; i += 8)
        {
            uint lo = crc ^ (uint)(data[i] | data[i + 1] << 8 | data[i + 2] << 16 | data[i + 3] << 24);
            uint hi = (uint)(data[i + 4] | data[i + 5] << 8 | data[i + 6] << 16 | data[i + 7] << 24);
            crc = t[7 * 256 + (lo & 0xFF)] ^ t[6 * 256 + ((lo >> 8) & 0xFF)] ^ t[5 * 256 + ((lo >> 16) & 0xFF)] ^ t[4 * 256 + (lo >> 24)]
                ^ t[3 * 256 + (hi & 0xFF)] ^ t[2 * 256 + ((hi >> 8) & 0xFF)] ^ t[256 + ((hi >> 16) & 0xFF)] ^ t[hi >> 24];
        }
        for (; i < data.Length; i++) crc = t[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
        _state = crc;
    }

    /// <summary>The CRC-32 of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var crc = new Crc32();
        crc.Append(data);
        return crc.Value;
    }

    private static uint[] BuildTables()
    {
        var t = new uint[8 * 256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[n] = c;
        }
        // Table s maps a byte to its CRC contribution when s further zero bytes follow it.
        for (int s = 1; s < 8; s++)
            for (int n = 0; n < 256; n++)
            {
                uint prev = t[(s - 1) * 256 + n];
                t[s * 256 + n] = t[prev & 0xFF] ^ (prev >> 8);
            }
        return t;
    }
}
