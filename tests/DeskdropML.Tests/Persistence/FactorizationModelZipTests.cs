using System.Buffers.Binary;
using System.IO.Compression;
using DeskdropML.Persistence;
using DeskdropML.Recommending;
using DeskdropML.Sparse;
using DeskdropML.Tests.Contract;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DeskdropML.Tests.Persistence;

public sealed class FactorizationModelZipTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("deskdropml-zip-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Rows with custom column names "person" / "article".</summary>
    public sealed class PersonArticle
    {
        [ColumnName("person")] public string Person { get; set; } = "";
        [ColumnName("article")] public string Article { get; set; } = "";
        [ColumnName("strength")] public float Strength { get; set; } = 1;
    }

    private static (MLContext Ml, IDataView Train, FactorizationScoringTransformer Transformer, PlantedData Data) Fitted()
    {
        var ml = new MLContext(seed: 1);
        var data = PlantedData.Create(seed: 21);
        var train = ml.Data.LoadFromEnumerable(data.TrainRows.Select(r => new PersonArticle { Person = r.UserId, Article = r.ItemId, Strength = r.Label }));
        var transformer = new TestLeastSquaresEstimator(ml, seed: 5, "person", "article", "strength").Fit(train);
        return (ml, train, transformer, data);
    }

    private static List<(string User, string Item)> Pairs(PlantedData data)
    {
        var pairs = new List<(string, string)>();
        for (int u = 0; u < data.Users.Count; u += 5)
            for (int i = 0; i < data.Items.Count; i += 3) pairs.Add((data.Users[u], data.Items[i]));
        pairs.Add(("ghost-user", data.Items[2]));
        pairs.Add((data.Users[1], "ghost-item"));
        pairs.Add(("ghost-user", "ghost-item"));
        return pairs;
    }

    private static float[] Score(MLContext ml, ITransformer model, List<(string User, string Item)> pairs)
    {
        var view = ml.Data.LoadFromEnumerable(pairs.Select(p => new PersonArticle { Person = p.User, Article = p.Item }));
        return model.Transform(view).GetColumn<float>("Score").ToArray();
    }

    private static string Hex(float f) => BitConverter.SingleToInt32Bits(f).ToString("X8");

    private string SaveFitted(out FactorizationScoringTransformer transformer, out PlantedData data, out MLContext ml)
    {
        (ml, var train, transformer, data) = Fitted();
        string path = Path.Combine(_dir, "model.zip");
        FactorizationModelZip.Save(ml, transformer, train.Schema, path);
        return path;
    }

    [Fact]
    public void FreshProcessLoadGivesBitIdenticalScores()
    {
        string path = SaveFitted(out var transformer, out var data, out var ml);
        var pairs = Pairs(data);
        var expected = Score(ml, transformer, pairs).Select(Hex).ToArray();
        Assert.Contains(expected, h => h == Hex(float.NaN));
        string rowsFile = Path.Combine(_dir, "rows.tsv");
        File.WriteAllLines(rowsFile, pairs.Select(p => $"{p.User}\t{p.Item}"));

        // Also a plain ML.NET zip (mlContext.Model.Save only, no typed entry) loaded with ML.NET in the fresh process.
        string plain = Path.Combine(_dir, "plain.zip");
        ml.Model.Save(transformer, ml.Data.LoadFromEnumerable(new[] { new PersonArticle() }).Schema, plain);
        foreach (var (zip, mode) in new[] { (path, ""), (path, "--typed"), (plain, "") })
        {
            var (exit, stdout, stderr) = RunHost(zip, rowsFile, "person", "article", mode);
            Assert.True(exit == 0, $"ModelHost {zip} {mode} exited with {exit}: {stderr}");
            var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.Equal(expected, lines);
        }
    }

    [Fact]
    public void FreshProcessFailureIsReported()
    {
        string bogus = Path.Combine(_dir, "not-a-model.zip");
        File.WriteAllText(bogus, "hello");
        string rowsFile = Path.Combine(_dir, "rows.tsv");
        File.WriteAllLines(rowsFile, new[] { "a\tb" });
        var (exit, _, stderr) = RunHost(bogus, rowsFile, "person", "article", "");
        Assert.NotEqual(0, exit);
        Assert.Contains("ModelHost failed", stderr);
    }

    [Fact]
    public void MlNetSavedZipIsPlainMlNetAndCarriesTheTypedModel()
    {
        var (ml, train, transformer, data) = Fitted();
        string path = Path.Combine(_dir, "mlnet.zip");
        ml.Model.Save(transformer, train.Schema, path);
        using (var zip = ZipFile.OpenRead(path))
        {
            Assert.Null(zip.GetEntry(FactorizationModelZip.EntryName));
            Assert.All(zip.Entries, e => Assert.DoesNotContain("DeskdropML", e.FullName));
        }
        var fresh = new MLContext(seed: 3).RegisterDeskdropComponents();
        var loaded = fresh.Model.Load(path, out var schema);
        Assert.IsNotType<FactorizationScoringTransformer>(loaded);
        Assert.Equal(TextDataViewType.Instance, schema["person"].Type);
        var pairs = Pairs(data);
        Assert.Equal(Score(ml, transformer, pairs).Select(Hex), Score(fresh, loaded, pairs).Select(Hex));
        // The carried model column never reaches the output.
        Assert.Equal(new[] { "person", "article", "strength", "Score" }, loaded.GetOutputSchema(schema).Where(c => !c.IsHidden).Select(c => c.Name));

        // Top-k from the loaded chain and from the file equal top-k from the fitted transformer, bit for bit.
        var expected = transformer.CreateRecommender();
        foreach (var recommender in new[] { loaded.CreateRecommender(), FactorizationModelZip.Load(path).CreateRecommender() })
            for (int u = 0; u < data.Users.Count; u += 7)
            {
                var a = expected.Recommend(data.Users[u], 5);
                var b = recommender.Recommend(data.Users[u], 5);
                Assert.Equal(a.Items.Select(i => (i.ItemId, Hex(i.Score))), b.Items.Select(i => (i.ItemId, Hex(i.Score))));
                Assert.Equal(a.IsFallback, b.IsFallback);
            }
        Assert.Equal("person", loaded.GetFactorizationModel().UserIdColumnName);
    }

    [Fact]
    public void ZipWrittenWithTheEarlierSeparateEntryStillLoads()
    {
        string path = SaveLegacy(out var transformer, out var data);
        var stored = FactorizationModelZip.Load(path);
        Assert.Equal(Bits(StoredFactorizationModel.From(transformer).PackedUserVectors), Bits(stored.PackedUserVectors));
        Assert.Equal(data.Users.Ids, stored.Users.Ids);
    }

    [Fact]
    public void Version1BinaryWithoutIdEncodingsStillReads()
    {
        var model = TestFactorizationModel.Random(new IdMap(new[] { "a", "b" }), new IdMap(new[] { "x", "y" }), 2, seed: 3);
        var original = StoredFactorizationModel.From(new FactorizationScoringTransformer(new MLContext(), model, CsrMatrix.FromTriplets(2, 2, [0], [1], [1f])));
        byte[] v2 = FactorizationModelBinary.Write(original);
        // Version 2 inserts two 10-byte text encodings after the three leading strings; version 1 has none.
        int afterStrings = 20;
        for (int s = 0; s < 3; s++) afterStrings += 4 + BinaryPrimitives.ReadInt32LittleEndian(v2.AsSpan(afterStrings));
        byte[] body = [.. v2.AsSpan(20, afterStrings - 20), .. v2.AsSpan(afterStrings + 20, v2.Length - 8 - afterStrings - 20)];
        var v1 = new byte[20 + body.Length + 8];
        v2.AsSpan(0, 8).CopyTo(v1);
        BinaryPrimitives.WriteInt32LittleEndian(v1.AsSpan(8), 1);
        BinaryPrimitives.WriteInt64LittleEndian(v1.AsSpan(12), body.Length);
        body.CopyTo(v1, 20);
        BinaryPrimitives.WriteUInt64LittleEndian(v1.AsSpan(20 + body.Length), Fnv1a(body));
        var copy = FactorizationModelBinary.Read(v1, "v1");
        Assert.Equal(Bits(original.PackedItemVectors), Bits(copy.PackedItemVectors));
        Assert.Equal(original.Users.Ids, copy.Users.Ids);
    }

    /// <summary>A zip as the earlier FactorizationModelZip.Save wrote it: the ML.NET chain plus a separate model entry.</summary>
    private string SaveLegacy(out FactorizationScoringTransformer transformer, out PlantedData data)
    {
        (var ml, var train, transformer, data) = Fitted();
        string path = Path.Combine(_dir, "legacy.zip");
        ml.Model.Save(transformer.ScoringChain, train.Schema, path);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Update);
        using var stream = zip.CreateEntry(FactorizationModelZip.EntryName).Open();
        stream.Write(FactorizationModelBinary.Write(StoredFactorizationModel.From(transformer)));
        return path;
    }

    [Fact]
    public void PipelineWithTransformsBeforeTheTrainerSavesAndLoads()
    {
        var ml = new MLContext(seed: 1);
        var data = PlantedData.Create(seed: 2);
        var train = data.TrainView(ml);
        var pipeline = ml.Transforms.CopyColumns("UserIdCopy", "UserId")
            .Append(new TestLeastSquaresEstimator(ml, seed: 1, labelColumnName: "Label"));
        var fitted = pipeline.Fit(train);
        var rows = data.TrainRows.Take(30).ToList();
        var before = fitted.Transform(ml.Data.LoadFromEnumerable(rows)).GetColumn<float>("Score").ToArray();
        string path = Path.Combine(_dir, "pipeline.zip");
        FactorizationModelZip.Save(ml, fitted, train.Schema, path);

        var stored = FactorizationModelZip.Load(path);
        Assert.Equal("test-least-squares", stored.ModelKind);
        Assert.Equal(fitted.LastTransformer.Model.Dimension, stored.Dimension);
        var loaded = FactorizationModelZip.LoadMlNet(new MLContext(), path, out _);
        var after = loaded.Transform(ml.Data.LoadFromEnumerable(rows)).GetColumn<float>("Score").ToArray();
        Assert.Equal(before.Select(Hex), after.Select(Hex));
        Assert.Throws<ArgumentException>(() => FactorizationModelZip.Save(ml, ml.Transforms.CopyColumns("a", "UserId").Fit(train), train.Schema, path));
    }

    [Fact]
    public void ZipWithoutADeskdropModelIsAClearError()
    {
        var (ml, train, transformer, _) = Fitted();
        string path = Path.Combine(_dir, "other.zip");
        ml.Model.Save(ml.Transforms.CopyColumns("copy", "person").Fit(train), train.Schema, path);
        var e = Assert.Throws<InvalidDataException>(() => FactorizationModelZip.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("no DeskdropML factorization model", e.Message);
        // The inner scoring chain alone (no carried model) is not enough either.
        ml.Model.Save(transformer.ScoringChain, train.Schema, path);
        Assert.Contains("no DeskdropML factorization model", Assert.Throws<InvalidDataException>(() => FactorizationModelZip.Load(path)).Message);
        Assert.Throws<ArgumentException>(() => ml.Transforms.CopyColumns("copy", "person").Fit(train).CreateRecommender());
    }

    [Fact]
    public void NotAZipOrMissingFileIsAClearError()
    {
        string path = Path.Combine(_dir, "text.zip");
        File.WriteAllText(path, "this is not a zip");
        Assert.Contains(path, Assert.Throws<InvalidDataException>(() => FactorizationModelZip.Load(path)).Message);
        string missing = Path.Combine(_dir, "missing.zip");
        Assert.Contains(missing, Assert.Throws<FileNotFoundException>(() => FactorizationModelZip.Load(missing)).Message);
    }

    public static TheoryData<string, string> Corruptions => new()
    {
        { "flip-payload-byte", "checksum" },
        { "truncate", "truncated" },
        { "bad-magic", "DDMLFACT" },
        { "future-version", "version 3 is not supported" },
        { "empty", "DDMLFACT" },
    };

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void CorruptEntryIsAClearErrorNamingTheFile(string corruption, string expectedText)
    {
        string path = SaveLegacy(out _, out _);
        RewriteEntry(path, bytes => corruption switch
        {
            "flip-payload-byte" => Flip(bytes, 40),
            "truncate" => bytes[..(bytes.Length / 2)],
            "bad-magic" => Flip(bytes, 0),
            "future-version" => WithVersion(bytes, 3),
            "empty" => Array.Empty<byte>(),
            _ => throw new ArgumentOutOfRangeException(nameof(corruption)),
        });
        var e = Assert.Throws<InvalidDataException>(() => FactorizationModelZip.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains(expectedText, e.Message);
    }

    [Fact]
    public void TruncatedPayloadWithValidHeaderIsCaughtByBoundsChecks()
    {
        // Header and checksum consistent, but the payload ends early: the reader's bounds checks must catch it.
        var model = TestFactorizationModel.Random(new IdMap(new[] { "a", "b" }), new IdMap(new[] { "x" }), 2, seed: 1);
        var stored = StoredFactorizationModel.From(new FactorizationScoringTransformer(new MLContext(), model, CsrMatrix.Empty(2, 1)));
        byte[] good = FactorizationModelBinary.Write(stored);
        byte[] body = good.AsSpan(20, good.Length - 28 - 10).ToArray(); // drop the last 10 payload bytes
        var bad = new byte[20 + body.Length + 8];
        good.AsSpan(0, 12).CopyTo(bad);
        BinaryPrimitives.WriteInt64LittleEndian(bad.AsSpan(12), body.Length);
        body.CopyTo(bad, 20);
        BinaryPrimitives.WriteUInt64LittleEndian(bad.AsSpan(20 + body.Length), Fnv1a(body));
        var e = Assert.Throws<InvalidDataException>(() => FactorizationModelBinary.Read(bad, "'m.zip'"));
        Assert.Contains("'m.zip'", e.Message);
        Assert.Contains("remain", e.Message);
    }

    [Fact]
    public void BinaryRoundTripKeepsEveryArrayBitForBit()
    {
        // Cold users, non-ASCII ids, a zero-dimension model and special float values all survive.
        var users = new IdMap(new[] { "ana", "joão", "ünïcode-用户" });
        var items = new IdMap(new[] { "i1", "i2", "i3", "i4" });
        var model = new TestFactorizationModel(users, items, 0, Array.Empty<float>(), new[] { 1f, -0f, float.Epsilon },
            Array.Empty<float>(), new[] { 0.1f, float.MaxValue, -3e-38f, 7f }, new[] { true, false, true });
        var train = CsrMatrix.FromTriplets(3, 4, new[] { 0, 0, 2 }, new[] { 1, 3, 0 }, new[] { 2.5f, 0f, 1f });
        var transformer = new FactorizationScoringTransformer(new MLContext(), model, train, new[] { 4f, 3f, 2f, 1f }, modelKind: "kind-x");
        var original = StoredFactorizationModel.From(transformer);
        var copy = FactorizationModelBinary.Read(FactorizationModelBinary.Write(original), "test");
        Assert.Equal("kind-x", copy.ModelKind);
        Assert.Equal(users.Ids, copy.Users.Ids);
        Assert.Equal(items.Ids, copy.Items.Ids);
        Assert.Equal(0, copy.Dimension);
        Assert.Equal(Bits(original.PackedUserVectors), Bits(copy.PackedUserVectors));
        Assert.Equal(Bits(original.PackedItemVectors), Bits(copy.PackedItemVectors));
        Assert.Equal(new[] { true, false, true }, Enumerable.Range(0, 3).Select(copy.HasTrainingInteractions));
        Assert.Equal(new[] { 4f, 3f, 2f, 1f }, copy.FallbackScores.ToArray());
        Assert.Equal(train.RowPointers.ToArray(), copy.TrainingInteractions.RowPointers.ToArray());
        Assert.Equal(train.ColumnIndices.ToArray(), copy.TrainingInteractions.ColumnIndices.ToArray());
        Assert.Equal(Bits(train.Values), Bits(copy.TrainingInteractions.Values));
        var a = new float[4]; var b = new float[4];
        original.ScoreItems(2, a); copy.ScoreItems(2, b);
        Assert.Equal(Bits(a), Bits(b));
    }

    private static int[] Bits(ReadOnlySpan<float> values)
    {
        var bits = new int[values.Length];
        for (int i = 0; i < bits.Length; i++) bits[i] = BitConverter.SingleToInt32Bits(values[i]);
        return bits;
    }

    private static byte[] Flip(byte[] bytes, int index) { var copy = (byte[])bytes.Clone(); copy[index] ^= 0x5A; return copy; }

    private static byte[] WithVersion(byte[] bytes, int version)
    {
        var copy = (byte[])bytes.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(copy.AsSpan(8), version);
        return copy;
    }

    private static ulong Fnv1a(ReadOnlySpan<byte> data)
    {
        ulong hash = 14695981039346656037UL;
        foreach (byte b in data) { hash ^= b; hash *= 1099511628211UL; }
        return hash;
    }

    private static void RewriteEntry(string path, Func<byte[], byte[]> change)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Update);
        var entry = zip.GetEntry(FactorizationModelZip.EntryName)!;
        byte[] bytes;
        using (var s = entry.Open()) using (var m = new MemoryStream()) { s.CopyTo(m); bytes = m.ToArray(); }
        entry.Delete();
        using var w = zip.CreateEntry(FactorizationModelZip.EntryName).Open();
        w.Write(change(bytes));
    }

    /// <summary>Runs tests/DeskdropML.ModelHost (built with this test project) with `dotnet`.</summary>
    private static (int Exit, string Stdout, string Stderr) RunHost(string zip, string rows, string userColumn, string itemColumn, string mode) =>
        HostProcess.Run("DeskdropML.ModelHost", mode.Length > 0 ? [zip, rows, userColumn, itemColumn, mode] : [zip, rows, userColumn, itemColumn]);
}
