namespace DeskdropML.Tests.Readme;

public class ReadmeExampleTests
{
    private static IEnumerable<string> Normalize(IEnumerable<string> lines) =>
        lines.Select(l => l.Trim()).Where(l => l.Length > 0);

    [Fact]
    public void Readme_shows_exactly_the_compiled_example()
    {
        string source = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "tests", "DeskdropML.Tests", "Readme", "ReadmeExample.cs"));
        var lines = source.Split('\n');
        int begin = Array.FindIndex(lines, l => l.Contains("// README:begin"));
        int end = Array.FindIndex(lines, l => l.Contains("// README:end"));
        Assert.True(begin >= 0 && end > begin);
        var example = Normalize(lines[(begin + 1)..end]).ToList();

        string readme = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "README.md"));
        var blocks = readme.Split("```csharp").Skip(1).Select(b => b.Split("```")[0]).ToList();
        Assert.Contains(blocks, b =>
        {
            var code = Normalize(b.Split('\n')).Where(l => !l.StartsWith("using ", StringComparison.Ordinal)).ToList();
            return code.SequenceEqual(example);
        });
    }

    [Fact]
    public void Readme_example_runs_and_gives_sensible_results()
    {
        string zip = Path.Combine(TestPaths.NewTempDirectory(), "warp-text.zip");
        var (result, recommended, scores) = ReadmeExample.Run(TestPaths.NotebooksData, zip);
        Assert.Equal(626, result.UsersEvaluated);
        Assert.True(result.Ndcg > 0.0077, $"NDCG@10 {result.Ndcg} should beat popularity (0.0077)");
        Assert.Equal(5, recommended.Count);
        Assert.Equal(3, scores.Length);
        Assert.All(scores, s => Assert.True(float.IsFinite(s)));
    }
}
