using DeskdropML.Sparse;
using Microsoft.ML;

namespace DeskdropML.Tests.Contract;

/// <summary>One interaction row for ML.NET data views.</summary>
public sealed class InteractionRow
{
    public string UserId { get; set; } = "";
    public string ItemId { get; set; } = "";
    public float Label { get; set; } = 1f;
}

/// <summary>A (user id, item id) row with the transformer's score.</summary>
public sealed class ScoredRow
{
    public string UserId { get; set; } = "";
    public string ItemId { get; set; } = "";
    public float Score { get; set; }
}

/// <summary>
/// Planted-structure data: users and items fall into groups; each user interacts with several items of its own group
/// and one random item of another group (noise). One further in-group item per user is held out for testing.
/// A model that learns the groups ranks held-out items far above popularity, whose ranking ignores groups.
/// </summary>
public sealed class PlantedData
{
    public required IdMap Users { get; init; }
    public required IdMap Items { get; init; }
    public required CsrMatrix Train { get; init; }
    public required List<InteractionRow> TrainRows { get; init; }
    /// <summary>Held-out item index of every user.</summary>
    public required int[] HeldOut { get; init; }

    public static PlantedData Create(int seed, int groups = 4, int usersPerGroup = 20, int itemsPerGroup = 15, int inGroupItems = 6)
    {
        var rng = new Random(seed);
        int nu = groups * usersPerGroup, ni = groups * itemsPerGroup;
        var users = new IdMap(Enumerable.Range(0, nu).Select(u => $"u{u:D3}"));
        var items = new IdMap(Enumerable.Range(0, ni).Select(i => $"i{i:D3}"));
        var rows = new List<InteractionRow>();
        var r = new List<int>(); var c = new List<int>(); var v = new List<float>();
        var heldOut = new int[nu];
        for (int u = 0; u < nu; u++)
        {
            int g = u / usersPerGroup;
            var own = Enumerable.Range(g * itemsPerGroup, itemsPerGroup).OrderBy(_ => rng.Next()).Take(inGroupItems + 1).ToArray();
            heldOut[u] = own[^1];
            var chosen = own[..^1].ToList();
            int other = (g + 1 + rng.Next(groups - 1)) % groups;
            chosen.Add(other * itemsPerGroup + rng.Next(itemsPerGroup));
            foreach (int i in chosen)
            {
                float w = 1 + rng.Next(3);
                rows.Add(new InteractionRow { UserId = users[u], ItemId = items[i], Label = w });
                r.Add(u); c.Add(i); v.Add(w);
            }
        }
        return new PlantedData
        {
            Users = users, Items = items, TrainRows = rows, HeldOut = heldOut,
            Train = CsrMatrix.FromTriplets(nu, ni, r.ToArray(), c.ToArray(), v.ToArray()),
        };
    }

    public IDataView TrainView(MLContext ml) => ml.Data.LoadFromEnumerable(TrainRows);
}
