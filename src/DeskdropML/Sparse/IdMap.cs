namespace DeskdropML.Sparse;

/// <summary>
/// A bijection between external string ids (user ids, item ids, feature names) and dense indices
/// <c>0 .. Count - 1</c>. Ids built with <see cref="FromIds"/> are sorted ordinally, so the index order
/// is the ordinal string order of the ids (the convention of the Deskdrop notebook's matrices).
/// </summary>
public sealed class IdMap
{
    private readonly string[] _ids;
    private readonly Dictionary<string, int> _index;

    /// <summary>Creates a map whose index <c>i</c> is <c>ids[i]</c>, keeping the given order.</summary>
    /// <exception cref="ArgumentException">An id is null or repeated.</exception>
    public IdMap(IEnumerable<string> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        _ids = ids.ToArray();
        _index = new Dictionary<string, int>(_ids.Length, StringComparer.Ordinal);
        for (int i = 0; i < _ids.Length; i++)
        {
            if (_ids[i] is null)
                throw new ArgumentException($"Id at position {i} is null.", nameof(ids));
            if (!_index.TryAdd(_ids[i], i))
                throw new ArgumentException($"Id '{_ids[i]}' appears more than once.", nameof(ids));
        }
    }

    /// <summary>Creates a map of the distinct ids, sorted ordinally.</summary>
    public static IdMap FromIds(IEnumerable<string> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var distinct = new HashSet<string>(ids, StringComparer.Ordinal).ToArray();
        Array.Sort(distinct, StringComparer.Ordinal);
        return new IdMap(distinct);
    }

    /// <summary>Number of ids.</summary>
    public int Count => _ids.Length;

    /// <summary>The id at an index.</summary>
    public string this[int index] => _ids[index];

    /// <summary>All ids in index order.</summary>
    public IReadOnlyList<string> Ids => _ids;

    /// <summary>The index of an id, or -1 when the id is unknown.</summary>
    public int IndexOf(string id) => _index.TryGetValue(id, out int i) ? i : -1;

    /// <summary>Looks up the index of an id.</summary>
    public bool TryGetIndex(string id, out int index) => _index.TryGetValue(id, out index);

    /// <summary>True when the id is in the map.</summary>
    public bool Contains(string id) => _index.ContainsKey(id);
}
