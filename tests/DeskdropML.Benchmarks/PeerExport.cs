using DeskdropML.Recommending;
using DeskdropML.Sparse;
using DeskdropML.Trainers.Als;
using DeskdropML.Trainers.Popularity;

namespace DeskdropML.Benchmarks;

/// <summary>
/// <c>export synthetic|deskdrop|deskdrop-text DIR</c>: writes what the side-by-side measurements of other libraries
/// need, as NPY files, so they run on exactly the matrices our benchmarks use:
/// <list type="bullet">
/// <item><c>train_indptr.npy</c> (int32), <c>train_indices.npy</c> (int32),
/// <c>train_data.npy</c> (float32), <c>train_shape.npy</c> (int64 [users, items]): the users x items training
/// matrix (values = log2(1 + summed event strength)).</item>
/// <item><c>als_user_factors.npy</c>, <c>als_item_factors.npy</c> (float32, users x 64, items x 64): the ALS model
/// the <c>topk ... als</c> subcommand fits (64 factors, 3 iterations, seed 1).</item>
/// <item><c>als_top10.npy</c> (int32 users x 10, -1 padded): our top-10 of every user with train items excluded
/// (cold users, those without train entries, get the popularity fallback; <c>cold.npy</c> (int32 0/1) marks them).</item>
/// <item>deskdrop-text only: <c>item_text_*.npy</c>, the TF-IDF item feature matrix (items x terms, CSR) of the
/// text preset the hybrid WARP uses.</item>
/// </list>
/// </summary>
public static class PeerExport
{
    /// <summary>Runs the export; returns the process exit code.</summary>
    public static int Run(string which, string directory)
    {
        Directory.CreateDirectory(directory);
        var (train, users, items) = which switch
        {
            "synthetic" => (BenchmarkData.Synthetic.Train, BenchmarkData.Synthetic.Users, BenchmarkData.Synthetic.Items),
            "deskdrop" => (BenchmarkData.Deskdrop.Dataset.Train, BenchmarkData.Deskdrop.Dataset.Users, BenchmarkData.Deskdrop.Dataset.Items),
            "deskdrop-text" => (BenchmarkData.DeskdropText.Dataset.Train, BenchmarkData.DeskdropText.Dataset.Users, BenchmarkData.DeskdropText.Dataset.Items),
            _ => throw new ArgumentException($"unknown data '{which}' (synthetic | deskdrop | deskdrop-text)"),
        };
        WriteCsr(directory, "train", train);
        Console.WriteLine($"{which}: train {train.Rows} x {train.Columns}, {train.NonZeroCount} entries -> {directory}");

        var model = new AlsTrainer(new AlsTrainer.Options { NumberOfFactors = 64, NumberOfIterations = 3, NumberOfThreads = 2, Seed = 1 })
            .Fit(train, users, items);
        NpyWriter.Write(Path.Combine(directory, "als_user_factors.npy"), model.UserFactors, users.Count, model.Dimension);
        NpyWriter.Write(Path.Combine(directory, "als_item_factors.npy"), model.ItemFactors, items.Count, model.Dimension);

        var recommender = new Recommender(model, train, PopularityModel.Fit(train, users, items));
        var all = new int[users.Count];
        for (int u = 0; u < all.Length; u++) all[u] = u;
        int[][] lists = recommender.RecommendBatch(all, 10, 2);
        var top = new int[users.Count * 10];
        var cold = new int[users.Count];
        Array.Fill(top, -1);
        for (int u = 0; u < lists.Length; u++)
        {
            lists[u].CopyTo(top.AsSpan(u * 10));
            cold[u] = recommender.IsColdUser(u) ? 1 : 0;
        }
        NpyWriter.Write(Path.Combine(directory, "als_top10.npy"), top, users.Count, 10);
        NpyWriter.Write(Path.Combine(directory, "cold.npy"), cold, users.Count);
        Console.WriteLine($"ALS (64 factors, 3 iterations, seed 1) factors and top-10 of {users.Count} users written; {cold.Sum()} cold users");

        if (which == "deskdrop-text")
        {
            var text = BenchmarkData.DeskdropTextItemFeatures();
            WriteCsr(directory, "item_text", text);
            Console.WriteLine($"item text features {text.Rows} x {text.Columns}, {text.NonZeroCount} entries");
        }
        return 0;
    }

    /// <summary>Writes <paramref name="m"/> as <c>{name}_indptr/indices/data/shape.npy</c> (scipy's CSR arrays).</summary>
    public static void WriteCsr(string directory, string name, CsrMatrix m)
    {
        ReadOnlySpan<int> pointers = m.RowPointers;
        NpyWriter.Write(Path.Combine(directory, $"{name}_indptr.npy"), pointers, pointers.Length);
        NpyWriter.Write(Path.Combine(directory, $"{name}_indices.npy"), m.ColumnIndices, m.NonZeroCount);
        NpyWriter.Write(Path.Combine(directory, $"{name}_data.npy"), m.Values, m.NonZeroCount);
        NpyWriter.Write(Path.Combine(directory, $"{name}_shape.npy"), new long[] { m.Rows, m.Columns }, 2);
    }
}
