using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace DeskdropML.Recommending;

/// <summary>Per-worker buffers of the first pass of top-k (<see cref="QuantizedItemMatrix.Select"/>): exclusion masks, threshold heaps and candidate lists per user row.</summary>
internal sealed class FirstPassSelection
{
    /// <summary>Buffers for <paramref name="rows"/> users, k items each, over <paramref name="items"/> items.</summary>
    public FirstPassSelection(int rows, int k, int items)
    {
        Rows = rows;
        K = k;
        Items = items;
        Excluded = new bool[rows * items];
        Heaps = new float[rows * k];
        HeapCounts = new int[rows];
        Thresholds = new float[rows];
        Candidates = new int[rows * items];
        CandidateUpper = new float[rows * items];
        CandidateCounts = new int[rows];
    }

    /// <summary>User rows.</summary>
    public int Rows { get; }

    /// <summary>Items wanted per user.</summary>
    public int K { get; }

    /// <summary>Catalogue size (the stride of the masks and candidate rows).</summary>
    public int Items { get; }

    /// <summary>Row r, item i: <c>Excluded[r * Items + i]</c>; set by the caller, never changed here.</summary>
    public bool[] Excluded { get; }

    internal float[] Heaps { get; }
    internal int[] HeapCounts { get; }
    internal float[] Thresholds { get; }

    /// <summary>Row r's candidates: <c>Candidates[r * Items + j]</c>, j below <c>CandidateCounts[r]</c>, increasing.</summary>
    public int[] Candidates { get; }

    /// <summary>The candidates' upper bounds, parallel to <see cref="Candidates"/>.</summary>
    public float[] CandidateUpper { get; }

    /// <summary>Candidates per row.</summary>
    public int[] CandidateCounts { get; }

    /// <summary>True when row r saw at least k eligible items; then <see cref="Threshold"/> is their k-th largest lower bound.</summary>
    public bool IsFull(int row) => HeapCounts[row] == K;

    /// <summary>The k-th largest lower bound of row r's eligible items (negative infinity until k were seen).</summary>
    public float Threshold(int row) => Thresholds[row];

    /// <summary>Empties the heaps and candidate lists of the first <paramref name="rows"/> rows (masks untouched).</summary>
    public void Reset(int rows)
    {
        HeapCounts.AsSpan(0, rows).Clear();
        CandidateCounts.AsSpan(0, rows).Clear();
        Thresholds.AsSpan(0, rows).Fill(float.NegativeInfinity);
    }
}

/// <summary>Receives the bounds of eight consecutive items for one user row.</summary>
internal interface IBoundsSink
{
    void Accept(int row, int firstItem, Vector256<float> lower, Vector256<float> upper);
}

/// <summary>Keeps the threshold heaps and the candidates of the first pass (eight items per call).</summary>
internal readonly struct SelectionSink(FirstPassSelection state, int items) : IBoundsSink
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Accept(int row, int firstItem, Vector256<float> lowerBounds, Vector256<float> upperBounds)
    {
        float threshold = state.Thresholds[row];
        var t = Vector256.Create(threshold);
        uint reach = Vector256.GreaterThanOrEqual(upperBounds, t).ExtractMostSignificantBits();
        if (reach == 0) return;
        int valid = items - firstItem;
        if (valid < 8) reach &= valid <= 0 ? 0u : (1u << valid) - 1;
        // lower > L implies upper >= L, so every heap entry is among this chunk's candidates.
        uint enter = Vector256.GreaterThan(lowerBounds, t).ExtractMostSignificantBits() & reach;
        int rowBase = row * items;
        while (reach != 0)
        {
            int bit = System.Numerics.BitOperations.TrailingZeroCount(reach);
            reach &= reach - 1;
            int item = firstItem + bit;
            if (state.Excluded[rowBase + item]) continue;
            int c = state.CandidateCounts[row]++;
            state.Candidates[rowBase + c] = item;
            state.CandidateUpper[rowBase + c] = upperBounds.GetElement(bit);
        }
        while (enter != 0)
        {
            int bit = System.Numerics.BitOperations.TrailingZeroCount(enter);
            enter &= enter - 1;
            if (state.Excluded[rowBase + firstItem + bit]) continue;
            Push(row, lowerBounds.GetElement(bit));
        }
    }

    /// <summary>Adds a lower bound to row r's min-heap of the k largest and updates the row's threshold.</summary>
    private void Push(int row, float value)
    {
        int k = state.K;
        Span<float> heap = state.Heaps.AsSpan(row * k, k);
        int count = state.HeapCounts[row];
        if (count < k)
        {
            int i = count++;
            heap[i] = value;
            while (i > 0 && heap[(i - 1) >> 1] > heap[i])
            {
                (heap[(i - 1) >> 1], heap[i]) = (heap[i], heap[(i - 1) >> 1]);
                i = (i - 1) >> 1;
            }
            state.HeapCounts[row] = count;
            if (count == k) state.Thresholds[row] = heap[0];
            return;
        }
        if (!(value > heap[0])) return;
        heap[0] = value;
        int j = 0;
        while (true)
        {
            int left = 2 * j + 1;
            if (left >= k) break;
            int smallest = left + 1 < k && heap[left + 1] < heap[left] ? left + 1 : left;
            if (!(heap[smallest] < heap[j])) break;
            (heap[smallest], heap[j]) = (heap[j], heap[smallest]);
            j = smallest;
        }
        state.Thresholds[row] = heap[0];
    }
}
