using System.Globalization;
using System.Numerics;
using DeskdropML.Sparse;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeskdropML.Recommending;

/// <summary>What an id column holds.</summary>
internal enum IdValueKind : byte
{
    /// <summary>Text: the id is the string itself.</summary>
    Text = 0,

    /// <summary>An integer type: the id is the value in invariant decimal form.</summary>
    Integer = 1,

    /// <summary>A key type: the id is the text of the key value, or the 0-based key index in decimal form.</summary>
    Key = 2,
}

/// <summary>
/// How the values of one id column map to the model's id strings (see <see cref="InteractionColumnOptions"/>): the
/// column's kind and raw type, and for integer and key columns the raw value of every id of the model's map (the
/// bits of the value as <see cref="ulong"/>; for keys 0 when the id has no key in the column, e.g. a catalogue id
/// that never occurred). The scoring chain turns the column into id text with a <c>MapValue</c> over these pairs.
/// </summary>
internal sealed class IdEncoding
{
    /// <summary>Raw types in the order of their codes in the model binary (code = index + 1).</summary>
    private static readonly Type[] RawTypes =
        [typeof(sbyte), typeof(byte), typeof(short), typeof(ushort), typeof(int), typeof(uint), typeof(long), typeof(ulong)];

    /// <summary>The name of ML.NET's key-values annotation.</summary>
    private const string AnnotationKeyValues = "KeyValues";

    private IdEncoding(IdValueKind kind, Type? rawType, ulong keyCount, ulong[]? rawValues)
    {
        Kind = kind;
        RawType = rawType;
        KeyCount = keyCount;
        RawValues = rawValues;
    }

    /// <summary>A text column.</summary>
    public static IdEncoding Text { get; } = new(IdValueKind.Text, null, 0, null);

    public IdValueKind Kind { get; }

    /// <summary>The column's raw type (null for text).</summary>
    public Type? RawType { get; }

    /// <summary>The key count (keys only).</summary>
    public ulong KeyCount { get; }

    /// <summary>One raw value per id of the model's map (null for text).</summary>
    public ulong[]? RawValues { get; }

    /// <summary>Code of <see cref="RawType"/> in the model binary (0 for text).</summary>
    public byte RawTypeCode => RawType is null ? (byte)0 : (byte)(Array.IndexOf(RawTypes, RawType) + 1);

    /// <summary>Rebuilds an encoding read from a model binary.</summary>
    /// <exception cref="ArgumentException">The codes are invalid or the raw values do not fit the id count.</exception>
    public static IdEncoding FromStored(byte kind, byte rawTypeCode, ulong keyCount, ulong[]? rawValues, int ids)
    {
        if (kind == (byte)IdValueKind.Text)
        {
            if (rawTypeCode != 0 || rawValues is not null) throw new ArgumentException("a text id column has no raw type.");
            return Text;
        }
        if (kind > (byte)IdValueKind.Key) throw new ArgumentException($"id column kind {kind} is unknown.");
        if (rawTypeCode is < 1 or > 8) throw new ArgumentException($"id raw type code {rawTypeCode} is unknown.");
        if (rawValues is null || rawValues.Length != ids) throw new ArgumentException($"expected {ids} raw id values.");
        var type = RawTypes[rawTypeCode - 1];
        if (kind == (byte)IdValueKind.Key && (type == typeof(sbyte) || type == typeof(short) || type == typeof(int) || type == typeof(long)))
            throw new ArgumentException("a key id column must have an unsigned raw type.");
        return new IdEncoding((IdValueKind)kind, type, keyCount, rawValues);
    }

    /// <summary>
    /// The estimator that writes the id text of <paramref name="inputColumn"/> into the text column
    /// <paramref name="outputColumn"/>: a copy for text, else a <c>MapValue</c> from the raw values of
    /// <paramref name="ids"/> to their strings (any other value gives an empty id, which no model knows).
    /// </summary>
    public IEstimator<ITransformer> TextConversion(MLContext mlContext, IdMap ids, string inputColumn, string outputColumn)
    {
        if (Kind == IdValueKind.Text)
            return mlContext.Transforms.CopyColumns(outputColumn, inputColumn);
        return RawType switch
        {
            var t when t == typeof(sbyte) => MapRaw<sbyte>(mlContext, ids, inputColumn, outputColumn),
            var t when t == typeof(byte) => MapRaw<byte>(mlContext, ids, inputColumn, outputColumn),
            var t when t == typeof(short) => MapRaw<short>(mlContext, ids, inputColumn, outputColumn),
            var t when t == typeof(ushort) => MapRaw<ushort>(mlContext, ids, inputColumn, outputColumn),
            var t when t == typeof(int) => MapRaw<int>(mlContext, ids, inputColumn, outputColumn),
            var t when t == typeof(uint) => MapRaw<uint>(mlContext, ids, inputColumn, outputColumn),
            var t when t == typeof(long) => MapRaw<long>(mlContext, ids, inputColumn, outputColumn),
            _ => MapRaw<ulong>(mlContext, ids, inputColumn, outputColumn),
        };
    }

    private IEstimator<ITransformer> MapRaw<T>(MLContext mlContext, IdMap ids, string inputColumn, string outputColumn)
        where T : struct, IBinaryInteger<T>
    {
        var pairs = new List<KeyValuePair<T, string>>(ids.Count);
        for (int i = 0; i < ids.Count; i++)
        {
            ulong raw = RawValues![i];
            if (Kind == IdValueKind.Key && raw == 0) continue;
            pairs.Add(new(T.CreateTruncating(raw), ids[i]));
        }
        // MapValue needs a pair; mapping the missing key (or 0) to the empty id scores like an unknown id.
        if (pairs.Count == 0) pairs.Add(new(T.Zero, string.Empty));
        return mlContext.Transforms.Conversion.MapValue(outputColumn, pairs, inputColumn);
    }

    /// <summary>Creates the reader of a column, or throws an <see cref="ArgumentException"/> saying why it cannot be an id column.</summary>
    public static IdColumnReader CreateReader(DataViewSchema.Column column, string what)
    {
        var type = column.Type;
        if (type is TextDataViewType) return new TextIdReader();
        if (type is KeyDataViewType key)
        {
            string[]? values = KeyValueTexts(column, what);
            return key.RawType switch
            {
                var t when t == typeof(byte) => new KeyIdReader<byte>(key.Count, values),
                var t when t == typeof(ushort) => new KeyIdReader<ushort>(key.Count, values),
                var t when t == typeof(uint) => new KeyIdReader<uint>(key.Count, values),
                _ => new KeyIdReader<ulong>(key.Count, values),
            };
        }
        if (type is NumberDataViewType)
        {
            IdColumnReader? reader = type.RawType switch
            {
                var t when t == typeof(sbyte) => new IntegerIdReader<sbyte>(),
                var t when t == typeof(byte) => new IntegerIdReader<byte>(),
                var t when t == typeof(short) => new IntegerIdReader<short>(),
                var t when t == typeof(ushort) => new IntegerIdReader<ushort>(),
                var t when t == typeof(int) => new IntegerIdReader<int>(),
                var t when t == typeof(uint) => new IntegerIdReader<uint>(),
                var t when t == typeof(long) => new IntegerIdReader<long>(),
                var t when t == typeof(ulong) => new IntegerIdReader<ulong>(),
                _ => null,
            };
            if (reader is not null) return reader;
        }
        throw new ArgumentException(
            $"The {what} column '{column.Name}' has type {type}; an id column must be a scalar text, integer or key column (e.g. from MapValueToKey).", "input");
    }

    /// <summary>True when a schema-shape column can be an id column (see <see cref="CreateReader"/>).</summary>
    public static bool IsIdShape(SchemaShape.Column column)
    {
        if (column.Kind != SchemaShape.Column.VectorKind.Scalar) return false;
        var raw = column.ItemType.RawType;
        if (column.IsKey) return raw == typeof(byte) || raw == typeof(ushort) || raw == typeof(uint) || raw == typeof(ulong);
        return column.ItemType is TextDataViewType || (column.ItemType is NumberDataViewType && Array.IndexOf(RawTypes, raw) >= 0);
    }

    /// <summary>The key values of a key column as id strings, or null when it has none.</summary>
    private static string[]? KeyValueTexts(DataViewSchema.Column column, string what)
    {
        var annotation = column.Annotations.Schema.GetColumnOrNull(AnnotationKeyValues);
        if (annotation is null) return null;
        var itemType = (annotation.Value.Type as VectorDataViewType)?.ItemType;
        return itemType switch
        {
            TextDataViewType => Texts<ReadOnlyMemory<char>>(column, v => v.ToString()),
            NumberDataViewType n when n.RawType == typeof(int) => Texts<int>(column, Format),
            NumberDataViewType n when n.RawType == typeof(long) => Texts<long>(column, Format),
            NumberDataViewType n when n.RawType == typeof(uint) => Texts<uint>(column, Format),
            NumberDataViewType n when n.RawType == typeof(ulong) => Texts<ulong>(column, Format),
            NumberDataViewType n when n.RawType == typeof(short) => Texts<short>(column, Format),
            NumberDataViewType n when n.RawType == typeof(ushort) => Texts<ushort>(column, Format),
            NumberDataViewType n when n.RawType == typeof(sbyte) => Texts<sbyte>(column, Format),
            NumberDataViewType n when n.RawType == typeof(byte) => Texts<byte>(column, Format),
            _ => throw new ArgumentException(
                $"The {what} column '{column.Name}' is a key whose key values have type {itemType}; map text or integer ids to keys.", "input"),
        };
    }

    private static string Format<T>(T value) where T : IBinaryInteger<T> => value.ToString(null, CultureInfo.InvariantCulture);

    private static string[] Texts<T>(DataViewSchema.Column column, Func<T, string> format)
    {
        VBuffer<T> values = default;
        column.Annotations.GetValue(AnnotationKeyValues, ref values);
        var dense = values.DenseValues().ToArray();
        var result = new string[dense.Length];
        for (int i = 0; i < dense.Length; i++) result[i] = format(dense[i]);
        return result;
    }

    /// <summary>Reads one id column row by row as id text plus raw value, and builds the column's encoding.</summary>
    internal abstract class IdColumnReader
    {
        /// <summary>Binds to a cursor; the returned function gives the current row's id (empty for a missing key) and raw value.</summary>
        public abstract IdGetter Bind(DataViewRowCursor cursor, DataViewSchema.Column column);

        /// <summary>
        /// The encoding for the final id map; <paramref name="seenRaw"/> gives the raw value of ids read from rows.
        /// Catalogue ids that never occurred get their raw value from their text, if they have one.
        /// </summary>
        /// <exception cref="ArgumentException">A catalogue id is not a value of an integer column.</exception>
        public abstract IdEncoding Encode(IdMap ids, Func<string, ulong?> seenRaw, string what, string columnName);
    }

    /// <summary>Gets the id text and raw value of the cursor's current row.</summary>
    internal delegate ReadOnlySpan<char> IdGetter(out ulong raw);

    private sealed class TextIdReader : IdColumnReader
    {
        public override IdGetter Bind(DataViewRowCursor cursor, DataViewSchema.Column column)
        {
            var getter = cursor.GetGetter<ReadOnlyMemory<char>>(column);
            ReadOnlyMemory<char> value = default;
            return (out ulong raw) => { raw = 0; getter(ref value); return value.Span; };
        }

        public override IdEncoding Encode(IdMap ids, Func<string, ulong?> seenRaw, string what, string columnName) => Text;
    }

    private sealed class IntegerIdReader<T> : IdColumnReader where T : struct, IBinaryInteger<T>
    {
        public override IdGetter Bind(DataViewRowCursor cursor, DataViewSchema.Column column)
        {
            var getter = cursor.GetGetter<T>(column);
            var buffer = new char[24];
            T value = default;
            return (out ulong raw) =>
            {
                getter(ref value);
                raw = ulong.CreateTruncating(value);
                value.TryFormat(buffer, out int written, default, CultureInfo.InvariantCulture);
                return buffer.AsSpan(0, written);
            };
        }

        public override IdEncoding Encode(IdMap ids, Func<string, ulong?> seenRaw, string what, string columnName)
        {
            var raws = new ulong[ids.Count];
            for (int i = 0; i < raws.Length; i++)
            {
                if (seenRaw(ids[i]) is ulong r) { raws[i] = r; continue; }
                if (!T.TryParse(ids[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out T parsed) || Format(parsed) != ids[i])
                    throw new ArgumentException($"The {what} catalogue id '{ids[i]}' is not a {typeof(T).Name} in decimal form, as the values of column '{columnName}' are.", "input");
                raws[i] = ulong.CreateTruncating(parsed);
            }
            return new IdEncoding(IdValueKind.Integer, typeof(T), 0, raws);
        }
    }

    private sealed class KeyIdReader<T>(ulong count, string[]? keyValues) : IdColumnReader where T : struct, IBinaryInteger<T>
    {
        public override IdGetter Bind(DataViewRowCursor cursor, DataViewSchema.Column column)
        {
            var getter = cursor.GetGetter<T>(column);
            var buffer = new char[24];
            T value = default;
            return (out ulong key) =>
            {
                getter(ref value);
                key = ulong.CreateTruncating(value);
                if (key == 0 || key > count) { key = 0; return default; }
                if (keyValues is not null) return keyValues[(int)(key - 1)];
                (key - 1).TryFormat(buffer, out int written, default, CultureInfo.InvariantCulture);
                return buffer.AsSpan(0, written);
            };
        }

        public override IdEncoding Encode(IdMap ids, Func<string, ulong?> seenRaw, string what, string columnName)
        {
            Dictionary<string, ulong>? byText = null;
            var raws = new ulong[ids.Count];
            for (int i = 0; i < raws.Length; i++)
            {
                if (seenRaw(ids[i]) is ulong r) { raws[i] = r; continue; }
                if (keyValues is not null)
                {
                    if (byText is null)
                    {
                        byText = new Dictionary<string, ulong>(StringComparer.Ordinal);
                        for (int k = 0; k < keyValues.Length; k++) byText.TryAdd(keyValues[k], (ulong)k + 1);
                    }
                    raws[i] = byText.TryGetValue(ids[i], out ulong key) ? key : 0;
                }
                else
                {
                    raws[i] = ulong.TryParse(ids[i], NumberStyles.None, CultureInfo.InvariantCulture, out ulong index) && index < count ? index + 1 : 0;
                }
            }
            return new IdEncoding(IdValueKind.Key, typeof(T), count, raws);
        }
    }
}
