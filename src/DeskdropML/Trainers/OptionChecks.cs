namespace DeskdropML.Trainers;

/// <summary>Option checks shared by the closed-form trainers (item-kNN, EASE, PureSVD).</summary>
internal static class OptionChecks
{
    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the option when threads &lt; 1 or a column name is blank.</summary>
    /// <param name="threads">NumberOfThreads.</param>
    /// <param name="userIdColumnName">UserIdColumnName.</param>
    /// <param name="itemIdColumnName">ItemIdColumnName.</param>
    public static void ThreadsAndColumns(int threads, string userIdColumnName, string itemIdColumnName)
    {
        if (threads < 1)
            throw new ArgumentOutOfRangeException("NumberOfThreads", threads, "NumberOfThreads must be >= 1.");
        if (string.IsNullOrWhiteSpace(userIdColumnName))
            throw new ArgumentOutOfRangeException("UserIdColumnName", userIdColumnName, "UserIdColumnName must be a non-empty column name.");
        if (string.IsNullOrWhiteSpace(itemIdColumnName))
            throw new ArgumentOutOfRangeException("ItemIdColumnName", itemIdColumnName, "ItemIdColumnName must be a non-empty column name.");
    }
}
