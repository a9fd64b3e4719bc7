namespace DeskdropML.Tests.Package;

/// <summary>
/// The package consumer (tests/PackageConsumer/Program.cs: LoadFromTextFile, MapValueToKey on both ids, default
/// Als() and Warp(), mlContext.Model.Save) compiled against the project, trained in one process and asked for top-10
/// in another. .ci/run runs the same code against the packed NuGet package.
/// </summary>
public sealed class PackageConsumerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("deskdropml-consumer-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void ConsumerTrainsSavesAndRecommendsInFreshProcesses()
    {
        var train = HostProcess.Run("DeskdropML.ConsumerHost", "train", _dir);
        Assert.True(train.Exit == 0, $"train exited {train.Exit}: {train.Stderr}");
        Assert.True(File.Exists(Path.Combine(_dir, "als.zip")) && File.Exists(Path.Combine(_dir, "warp.zip")));

        var recommend = HostProcess.Run("DeskdropML.ConsumerHost", "recommend", _dir);
        Assert.True(recommend.Exit == 0, $"recommend exited {recommend.Exit}: {recommend.Stdout} {recommend.Stderr}");
        Assert.Contains("als: ok", recommend.Stdout);
        Assert.Contains("warp: ok", recommend.Stdout);

        // The checks can fail: a zip of another model makes the consumer exit 1 with one line.
        File.Copy(Path.Combine(_dir, "interactions.csv"), Path.Combine(_dir, "als.zip"), overwrite: true);
        var broken = HostProcess.Run("DeskdropML.ConsumerHost", "recommend", _dir);
        Assert.NotEqual(0, broken.Exit);
    }
}
