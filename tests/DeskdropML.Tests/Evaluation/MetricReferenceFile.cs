using System.Text.Json;

namespace DeskdropML.Tests.Evaluation;

/// <summary>
/// Parses tests/DeskdropML.Tests/TestData/metric_vectors.json: reference values of precision, recall, NDCG and AP
/// computed with scikit-learn 1.2.1 (see TestData/README.md), kept in the repository so a clone alone runs the tests.
/// </summary>
internal static class MetricReferenceFile
{
    private static readonly Lazy<JsonDocument> Document = new(Load);

    public static JsonElement Root => Document.Value.RootElement;

    /// <summary>The reference file in the repository.</summary>
    public static string Locate() => Path.Combine(TestPaths.TestData, "metric_vectors.json");

    private static JsonDocument Load() => JsonDocument.Parse(File.ReadAllText(Locate()));

    public static IEnumerable<JsonElement> Cases(string section) => Root.GetProperty(section).EnumerateArray();

    public static JsonElement Case(string section, string name) =>
        Cases(section).Single(c => c.GetProperty("name").GetString() == name);

    public static int[] Ints(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt32()).ToArray();

    public static double[][] Matrix(JsonElement array) =>
        array.EnumerateArray().Select(row => row.EnumerateArray().Select(e => e.GetDouble()).ToArray()).ToArray();
}
