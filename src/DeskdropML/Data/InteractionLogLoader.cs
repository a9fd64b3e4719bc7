namespace DeskdropML.Data;

/// <summary>
/// Loads an interactions file of either format: Parquet (<see cref="InteractionParquetLoader"/>) when the name ends in
/// <c>.parquet</c> or the file starts with <c>PAR1</c>, otherwise CSV, plain or gzip (<see cref="InteractionCsvLoader"/>).
/// The same options and rules apply to both, and the same rows give the same log.
/// </summary>
public static class InteractionLogLoader
{
    /// <summary>Loads <paramref name="path"/>.</summary>
    /// <param name="path">A CSV, gzip CSV or Parquet file.</param>
    /// <param name="options">Column names and rules.</param>
    /// <param name="progress">Called with the rows read so far, about every 2^20 rows.</param>
    /// <exception cref="DataFormatException">The file is missing, unreadable, or holds bad data (one line naming the file).</exception>
    public static InteractionLog Load(string path, InteractionCsvOptions? options = null, Action<long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        return InteractionParquetLoader.IsParquet(path)
            ? InteractionParquetLoader.Load(path, options, progress)
            : InteractionCsvLoader.Load(path, options, progress);
    }
}
