using DeskdropML.Recommending;
using DeskdropML.Sparse;

namespace DeskdropML.Baselines;

/// <summary>
/// The top k items of every user, best first, in two flat arrays (<c>users × k</c> item indices and scores) and one
/// length per user (shorter when fewer items were eligible).
/// </summary>
/// <remarks>Memory: <c>users × (8k + 4)</c> bytes. Distinct users may be written from several threads at once.</remarks>
internal sealed class UserTopLists
{
    private readonly int[] _items;
    private readonly float[] _scores;
    private readonly int[] _lengths;

    public UserTopLists(int users, int k)
    {
        K = k;
        _items = new int[(long)users * k];
        _scores = new float[(long)users * k];
        _lengths = new int[users];
    }

    /// <summary>Items kept per user at most.</summary>
    public int K { get; }

    /// <summary>
    /// Selects and stores the user's top k of <paramref name="scores"/> (<see cref="TopK.Select"/> order), leaving out
    /// the user's row of <paramref name="train"/> when it is given; <paramref name="excluded"/> is all false on entry and
    /// on return (scratch of one entry per item).
    /// </summary>
    public void Select(int user, ReadOnlySpan<float> scores, CsrMatrix? train, bool[]? excluded)
    {
        ReadOnlySpan<int> known = train is null ? default : train.RowIndices(user);
        foreach (int i in known) excluded![i] = true;
        long offset = (long)user * K;
        _lengths[user] = TopK.Select(scores, K, _items.AsSpan((int)offset, K), _scores.AsSpan((int)offset, K), excluded);
        foreach (int i in known) excluded![i] = false;
    }

    /// <summary>The user's kept item indices, best first.</summary>
    public ReadOnlySpan<int> Items(int user) => _items.AsSpan((int)((long)user * K), _lengths[user]);

    /// <summary>Their scores (NaN reported as negative infinity, as <see cref="TopK.Select"/> does).</summary>
    public ReadOnlySpan<float> Scores(int user) => _scores.AsSpan((int)((long)user * K), _lengths[user]);
}
