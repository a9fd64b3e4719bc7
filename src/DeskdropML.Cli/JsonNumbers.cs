using System.Globalization;
using System.Text.Json.Nodes;

namespace DeskdropML.Cli;

/// <summary>
/// How the tool prints numbers in JSON: every floating-point value with 10 significant digits (relative error at most
/// 5e-11, so metrics still compare at 1e-9 against the library) instead of the 17 of a round trip, and values whose key
/// ends in "seconds" with 3 decimals (milliseconds). Integers are untouched.
/// </summary>
public static class JsonNumbers
{
    /// <summary>Rounds the floating-point numbers of <paramref name="node"/> in place and returns it.</summary>
    public static T Round<T>(T node) where T : JsonNode
    {
        Visit(node, key: null);
        return node;
    }

    private static void Visit(JsonNode? node, string? key)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj.ToList())
                {
                    if (Rounded(child, name) is { } value) obj[name] = value;
                    else Visit(child, name);
                }
                break;
            case JsonArray array:
                for (int i = 0; i < array.Count; i++)
                {
                    if (Rounded(array[i], key) is { } value) array[i] = value;
                    else Visit(array[i], key);
                }
                break;
        }
    }

    /// <summary>The rounded replacement of a floating-point value, or null for anything else.</summary>
    private static JsonNode? Rounded(JsonNode? node, string? key)
    {
        if (node is not JsonValue value) return null;
        double d;
        if (value.TryGetValue(out double asDouble)) d = asDouble;
        else if (value.TryGetValue(out float asFloat)) d = double.Parse(asFloat.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture); // 0.05f stays 0.05
        else return null;
        if (!double.IsFinite(d)) return null;
        if (key is not null && key.EndsWith("seconds", StringComparison.Ordinal)) return JsonValue.Create(Math.Round(d, 3));
        return JsonValue.Create(double.Parse(d.ToString("G10", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture));
    }
}
