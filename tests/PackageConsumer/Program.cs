// What a new ML.NET user writes with the DeskdropML package: load a CSV, map both ids to keys, fit ALS and WARP with
// default options, save with mlContext.Model.Save; then, in a second process, load the zips and ask for top-10.
//   PackageConsumer train DIR       writes DIR/interactions.csv, DIR/als.zip, DIR/warp.zip
//   PackageConsumer recommend DIR   loads the zips in this fresh process and checks the top-10 of a user
// Exit code 0 when every check passes; a failed check prints one line and exits 1.
using DeskdropML;
using Microsoft.ML;
using Microsoft.ML.Data;

if (args.Length != 2 || args[0] is not ("train" or "recommend"))
{
    Console.Error.WriteLine("usage: PackageConsumer train|recommend DIR");
    return 2;
}
string dir = args[1];
Directory.CreateDirectory(dir);
string csv = Path.Combine(dir, "interactions.csv");
var models = new[] { "als", "warp" };

if (args[0] == "train")
{
    Planted.WriteCsv(csv);
    var mlContext = new MLContext(seed: 1);
    var rows = mlContext.Data.LoadFromTextFile<Interaction>(csv, separatorChar: ',', hasHeader: true);
    var keys = mlContext.Transforms.Conversion.MapValueToKey("UserId")
        .Append(mlContext.Transforms.Conversion.MapValueToKey("ItemId"));
    foreach (string name in models)
    {
        var pipeline = name == "als"
            ? keys.Append(mlContext.Recommenders().Trainers.Als())
            : keys.Append(mlContext.Recommenders().Trainers.Warp());
        var model = pipeline.Fit(rows);
        mlContext.Model.Save(model, rows.Schema, Path.Combine(dir, name + ".zip"));
        Console.WriteLine($"{name}: trained on {Planted.Rows().Count} rows, saved {name}.zip");
    }
    return 0;
}

foreach (string name in models)
{
    var mlContext = new MLContext(seed: 2).RegisterDeskdropComponents();
    var loaded = mlContext.Model.Load(Path.Combine(dir, name + ".zip"), out var schema);
    var recommender = loaded.CreateRecommender();
    const string user = "u007";
    var top = recommender.Recommend(user, k: 10);
    var known = Planted.Rows().Where(r => r.UserId == user).Select(r => r.ItemId).ToHashSet();
    Console.WriteLine($"{name}: top-10 for {user}: {string.Join(" ", top.Items.Select(i => i.ItemId))}");
    if (top.Items.Count != 10) return Fail($"{name}: {top.Items.Count} items, expected 10");
    if (top.IsFallback) return Fail($"{name}: {user} was ranked by the fallback");
    if (top.Items.Any(i => known.Contains(i.ItemId))) return Fail($"{name}: a known item was recommended");
    // Over all users: the share of top-10 items from the user's own group (20 of a user's ~110 unseen items are, so
    // ranking by chance or by popularity gives about 0.18).
    double inGroup = Planted.Users().Average(u => recommender.Recommend(u, 10).Items.Count(i => Planted.GroupOfItem(i.ItemId) == Planted.GroupOfUser(u)) / 10.0);
    if (inGroup < 0.4) return Fail($"{name}: only {inGroup:P0} of the top-10 items come from the user's group");

    // The loaded ML.NET chain scores (user, item) rows like the recommender does.
    var probe = mlContext.Data.LoadFromEnumerable(new[] { new Interaction { UserId = user, ItemId = top.Items[0].ItemId } });
    float score = loaded.Transform(probe).GetColumn<float>("Score").Single();
    if (Math.Abs(score - top.Items[0].Score) > 1e-4f * Math.Max(1f, Math.Abs(score)))
        return Fail($"{name}: row score {score} differs from the top-k score {top.Items[0].Score}");
    // Evaluation straight from ML.NET objects, on the reloaded model: each user's held-out own-group items as test rows.
    var train = mlContext.Data.LoadFromTextFile<Interaction>(csv, separatorChar: ',', hasHeader: true);
    var test = mlContext.Data.LoadFromEnumerable(Planted.HeldOut());
    var evaluation = mlContext.Recommenders().Evaluate(loaded, train, test, k: 10, userIdColumnName: "UserId", itemIdColumnName: "ItemId");
    var (low, high) = evaluation.Metrics.Intervals[DeskdropML.Evaluation.ReportedMetric.Ndcg];
    Console.WriteLine($"{name}: NDCG@10 {evaluation.Metrics.Means.Ndcg:F4} [{low:F4}, {high:F4}] over {evaluation.Metrics.Units} users; random {evaluation.Metrics.Random.Ndcg:F4}; " +
        $"{evaluation.TestPairs} test pairs = {evaluation.RelevantPairs} relevant + {evaluation.PairsOnEarlierItems} earlier + {evaluation.PairsOutsideCandidates} outside the candidates");
    if (!(low > evaluation.Metrics.Random.Ndcg)) return Fail($"{name}: the NDCG interval does not clear the random expectation");
    if (evaluation.TestPairs != evaluation.RelevantPairs + evaluation.PairsOnEarlierItems + evaluation.PairsOutsideCandidates) return Fail($"{name}: test pairs unaccounted for");
    Console.WriteLine($"{name}: ok ({inGroup:P0} of top-10 items in the user's group, input schema {string.Join(",", schema.Select(c => c.Name))})");
}
return 0;

static int Fail(string message)
{
    Console.Error.WriteLine("consumer check failed: " + message);
    return 1;
}

/// <summary>One CSV row: user id, item id, strength.</summary>
public sealed class Interaction
{
    [LoadColumn(0)] public string UserId { get; set; } = "";
    [LoadColumn(1)] public string ItemId { get; set; } = "";
    [LoadColumn(2)] public float Label { get; set; } = 1f;
}

/// <summary>
/// Planted structure: 4 groups of 150 users and 30 items; every user has 10 items of its own group and one of another.
/// A working recommender fills a user's top-10 mostly with unseen items of the user's group.
/// </summary>
public static class Planted
{
    private const int Groups = 4, UsersPerGroup = 150, ItemsPerGroup = 30;

    public static IEnumerable<string> Users() => Enumerable.Range(0, Groups * UsersPerGroup).Select(u => $"u{u:D3}");

    public static int GroupOfUser(string id) => int.Parse(id.AsSpan(1)) / UsersPerGroup;

    public static int GroupOfItem(string id) => int.Parse(id.AsSpan(1)) / ItemsPerGroup;

    public static List<Interaction> Rows()
    {
        var random = new Random(7);
        var rows = new List<Interaction>();
        for (int u = 0; u < Groups * UsersPerGroup; u++)
        {
            int g = u / UsersPerGroup;
            var own = Enumerable.Range(g * ItemsPerGroup, ItemsPerGroup).OrderBy(_ => random.Next()).Take(10);
            int other = (g + 1 + random.Next(Groups - 1)) % Groups;
            foreach (int i in own.Append(other * ItemsPerGroup + random.Next(ItemsPerGroup)))
                rows.Add(new Interaction { UserId = $"u{u:D3}", ItemId = $"i{i:D3}", Label = 1 + random.Next(3) });
        }
        return rows;
    }

    /// <summary>Two unseen items of each user's own group (drawn with another seed): what a good model should rank high.</summary>
    public static List<Interaction> HeldOut()
    {
        var random = new Random(11);
        var seen = Rows().Select(r => (r.UserId, r.ItemId)).ToHashSet();
        var rows = new List<Interaction>();
        foreach (string user in Users())
        {
            int g = GroupOfUser(user);
            var unseen = Enumerable.Range(g * ItemsPerGroup, ItemsPerGroup).Select(i => $"i{i:D3}").Where(i => !seen.Contains((user, i))).OrderBy(_ => random.Next()).Take(2);
            rows.AddRange(unseen.Select(i => new Interaction { UserId = user, ItemId = i }));
        }
        return rows;
    }

    public static void WriteCsv(string path) =>
        File.WriteAllLines(path, Rows().Select(r => $"{r.UserId},{r.ItemId},{r.Label}").Prepend("user,item,strength"));
}
