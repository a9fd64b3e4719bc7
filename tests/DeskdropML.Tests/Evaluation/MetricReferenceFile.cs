using System.Text.Json;

namespace DeskdropML.Tests.Evaluation;

/// <summary>Locates and parses shared/reference/metric_vectors.json (sklearn 1.2.1 reference values).</summary>
internal static class MetricReferenceFile
{
    private const string RelativePath = "shared/reference/metric_vectors.json";

    private static readonly Lazy<JsonDocument> Document = new(Load);

    public static JsonElement Root => Document.Value.RootElement;

    /// <summary>
    /// Walks up from the test binaries' folder and returns the first <c>D/shared/reference/metric_vectors.json</c>
    /// that exists (the repository is cloned next to the shared folder in CI and in development).
    /// </summary>
    public static string Locate()
    {
        var start = AppContext.BaseDirectory;
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, RelativePath);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException(
            $"Could not find '{RelativePath}' in any folder above '{start}'. The evaluation tests need the shared " +
            "reference vectors: place the 'shared' folder next to (or above) the repository checkout.");
    }

    private static JsonDocument Load() => JsonDocument.Parse(File.ReadAllText(Locate()));

    public static IEnumerable<JsonElement> Cases(string section) => Root.GetProperty(section).EnumerateArray();

    public static JsonElement Case(string section, string name) =>
        Cases(section).Single(c => c.GetProperty("name").GetString() == name);

    public static int[] Ints(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt32()).ToArray();

    public static double[][] Matrix(JsonElement array) =>
        array.EnumerateArray().Select(row => row.EnumerateArray().Select(e => e.GetDouble()).ToArray()).ToArray();
}
