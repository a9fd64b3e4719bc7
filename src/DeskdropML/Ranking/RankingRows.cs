namespace DeskdropML.Ranking;

/// <summary>
/// Training rows of a learning-to-rank problem: one row per (query, candidate) with a feature vector and a relevance
/// label, rows of one query (group) contiguous. In the two-stage recommender a query is a (user, window) pair.
/// </summary>
public sealed class RankingRows
{
    private readonly List<float> _features = new();
    private readonly List<float> _labels = new();
    private readonly List<int> _groupStarts = new();

    /// <summary>Creates an empty set of rows of <paramref name="featureCount"/> features.</summary>
    public RankingRows(int featureCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(featureCount, 1);
        FeatureCount = featureCount;
    }

    /// <summary>Features per row.</summary>
    public int FeatureCount { get; }

    /// <summary>Number of rows.</summary>
    public int Count => _labels.Count;

    /// <summary>Number of groups.</summary>
    public int GroupCount => _groupStarts.Count;

    /// <summary>Rows with label &gt; 0.</summary>
    public int Positives { get; private set; }

    /// <summary>Adds one group: <paramref name="features"/> holds labels.Length rows of <see cref="FeatureCount"/> values (row-major).</summary>
    /// <exception cref="ArgumentException">Sizes disagree, the group is empty, or a value is not finite.</exception>
    public void AddGroup(ReadOnlySpan<float> features, ReadOnlySpan<float> labels)
    {
        if (labels.IsEmpty) throw new ArgumentException("A group needs at least one row.", nameof(labels));
        if (features.Length != labels.Length * FeatureCount)
            throw new ArgumentException($"Expected {labels.Length * FeatureCount} feature values, got {features.Length}.", nameof(features));
        foreach (float v in features) if (!float.IsFinite(v)) throw new ArgumentException("Feature values must be finite.", nameof(features));
        _groupStarts.Add(_labels.Count);
        foreach (float v in features) _features.Add(v);
        foreach (float l in labels)
        {
            if (!(l >= 0) || !float.IsFinite(l)) throw new ArgumentException("Labels must be finite and ≥ 0.", nameof(labels));
            _labels.Add(l);
            if (l > 0) Positives++;
        }
    }

    /// <summary>Appends every group of <paramref name="other"/>.</summary>
    public void AddRange(RankingRows other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.FeatureCount != FeatureCount) throw new ArgumentException("Feature counts differ.", nameof(other));
        for (int g = 0; g < other.GroupCount; g++)
        {
            var (start, count) = other.Group(g);
            AddGroup(other.Features.Slice(start * FeatureCount, count * FeatureCount), other.Labels.Slice(start, count));
        }
    }

    /// <summary>All feature values, row-major.</summary>
    public ReadOnlySpan<float> Features => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_features);

    /// <summary>All labels.</summary>
    public ReadOnlySpan<float> Labels => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_labels);

    /// <summary>First row and row count of group <paramref name="g"/>.</summary>
    public (int Start, int Count) Group(int g)
    {
        int start = _groupStarts[g];
        int end = g + 1 < _groupStarts.Count ? _groupStarts[g + 1] : _labels.Count;
        return (start, end - start);
    }
}
