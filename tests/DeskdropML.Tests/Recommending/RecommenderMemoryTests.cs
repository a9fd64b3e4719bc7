using DeskdropML.Memory;
using DeskdropML.Recommending;
using DeskdropML.Sparse;
using DeskdropML.Tests.Contract;
using DeskdropML.Tests.Reliability;

namespace DeskdropML.Tests.Recommending;

/// <summary>Top-k for many users: the memory model and its refusal (the limit is process-wide, so the collection runs alone).</summary>
[Collection(InProcessCliCollection.Name)]
public class RecommenderMemoryTests
{
    [Fact]
    public void A_batch_whose_answer_exceeds_the_limit_is_refused_with_its_size()
    {
        // 1,000 users, 5 items, dimension 2 (P = 4): 2 threads x (16 x 4 x (5 + 4) + 5 + 8 x 3) + 1,000 x (4 x 3 + 32) = 45,210 bytes.
        int users = 1000;
        var userIds = new IdMap(Enumerable.Range(0, users).Select(u => $"u{u:D4}"));
        var itemIds = new IdMap(new[] { "a", "b", "c", "d", "e" });
        var model = new TestFactorizationModel(userIds, itemIds, 2,
            Enumerable.Range(0, 2 * users).Select(x => (float)(x % 7)).ToArray(), new float[users],
            new float[] { 1, 0, 2, 0.1f, 0, 1, -1, 0, 1, 0 }, new float[5], Enumerable.Repeat(true, users).ToArray());
        var known = CsrMatrix.Empty(users, 5);
        var recommender = new Recommender(model, known, new float[5]);
        Assert.Equal(45_210, recommender.BatchBytes(users, 3, 2));
        var all = Enumerable.Range(0, users).ToArray();
        var expected = recommender.RecommendBatch(all, 3, threads: 2);
        long? old = MemoryBudget.LimitBytes;
        MemoryBudget.LimitBytes = 40_000;
        try
        {
            var e = Assert.Throws<MemoryBudgetException>(() => recommender.RecommendBatch(all, 3, threads: 2));
            Assert.Equal("k", e.ParamName);
            Assert.Contains("Top 3 of 5 items for 1,000 users on 2 thread(s) needs about 44.2 KiB", e.Message);
            // Fewer users at a time fit, and give the same lists.
            var half = recommender.RecommendBatch(all[..500], 3, threads: 2).Concat(recommender.RecommendBatch(all[500..], 3, threads: 2));
            Assert.Equal(expected, half);
        }
        finally
        {
            MemoryBudget.LimitBytes = old;
        }
    }
}
