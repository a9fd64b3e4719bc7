using DeskdropML.Sparse;

namespace DeskdropML.Trainers.Als;

/// <summary>
/// One ALS half-step: re-solves every row of a sparse matrix against the fixed factors of its columns.
/// Rows are independent, so they are solved in parallel chunks with one scratch buffer per worker; the result does
/// not depend on the number of threads. The Gram matrix <c>Y^T Y</c> is summed over fixed-size chunks in a fixed
/// order, so it does not depend on the number of threads either.
/// </summary>
internal static class AlsHalfStep
{
    private const int RowsPerChunk = 128;
    private const int GramRowsPerChunk = 2048;

    /// <summary>
    /// Solves every row of <paramref name="matrix"/> (rows x columns, weighted strengths) for
    /// <paramref name="rowFactors"/> (rows x k, warm start on entry) against <paramref name="columnFactors"/> (columns x k).
    /// </summary>
    public static void Run(CsrMatrix matrix, float[] columnFactors, float[] rowFactors, AlsSolveSettings settings, int threads)
    {
        int k = settings.Factors;
        float[]? gram = settings.UsesGram ? Gram(columnFactors, matrix.Columns, k, threads) : null;
        var solver = new AlsRowSolver(settings, columnFactors, gram);
        int rows = matrix.Rows;
        int chunks = (rows + RowsPerChunk - 1) / RowsPerChunk;
        int maxRowLength = 0;
        for (int row = 0; row < rows; row++) maxRowLength = Math.Max(maxRowLength, matrix.RowLength(row));
        if (threads <= 1 || chunks <= 1)
        {
            var scratch = new AlsRowSolver.Scratch(k, maxRowLength);
            SolveRows(matrix, rowFactors, solver, scratch, 0, rows, k);
            return;
        }
        // Exactly one scratch per worker; workers take chunks of rows from a shared counter (dynamic load balance).
        int workers = Math.Min(threads, chunks);
        int nextChunk = -1;
        try
        {
            Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, _ =>
            {
                var scratch = new AlsRowSolver.Scratch(k, maxRowLength);
                int chunk;
                while ((chunk = Interlocked.Increment(ref nextChunk)) < chunks)
                {
                    int start = chunk * RowsPerChunk;
                    SolveRows(matrix, rowFactors, solver, scratch, start, Math.Min(rows, start + RowsPerChunk), k);
                }
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count >= 1)
        {
            // Surface the same exception as the single-threaded path.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            throw;
        }
    }

    private static void SolveRows(CsrMatrix matrix, float[] rowFactors, AlsRowSolver solver, AlsRowSolver.Scratch scratch, int start, int end, int k)
    {
        for (int row = start; row < end; row++)
        {
            if (row + 1 < end) solver.PrefetchRow(matrix.RowIndices(row + 1));
            solver.Solve(matrix.RowIndices(row), matrix.RowValues(row), rowFactors.AsSpan(row * k, k), scratch);
        }
    }

    /// <summary>
    /// The full k x k Gram matrix <c>Y^T Y = sum_i y_i y_i^T</c> of <paramref name="count"/> row-major k-vectors.
    /// </summary>
    public static float[] Gram(float[] factors, int count, int k, int threads)
    {
        int chunks = Math.Max(1, (count + GramRowsPerChunk - 1) / GramRowsPerChunk);
        var partial = new float[chunks][];
        void Chunk(int c)
        {
            var upper = new float[k * k];
            int begin = c * GramRowsPerChunk, end = Math.Min(count, begin + GramRowsPerChunk);
            Span<float> ones = stackalloc float[GramRowsPerChunk];
            ones.Fill(1f);
            AlsKernels.AddWeightedOuterUpper(factors.AsSpan(begin * k, (end - begin) * k), ones[..(end - begin)], upper, k);
            partial[c] = upper;
        }
        if (threads <= 1 || chunks == 1)
            for (int c = 0; c < chunks; c++) Chunk(c);
        else
            Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = threads }, Chunk);
        var gram = partial[0];
        for (int c = 1; c < chunks; c++)
            System.Numerics.Tensors.TensorPrimitives.Add(gram, partial[c], gram);
        AlsKernels.MirrorUpperToLower(gram, k);
        return gram;
    }
}
