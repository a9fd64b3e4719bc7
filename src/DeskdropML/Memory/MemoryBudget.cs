using System.Globalization;

namespace DeskdropML.Memory;

/// <summary>
/// A check, before allocating, that a model's memory fits: trainers estimate the bytes their parameters and working
/// arrays need from their options and the data shape, and refuse (with <see cref="MemoryBudgetException"/>, naming
/// the option that drives the size) when the estimate exceeds <see cref="LimitBytes"/> or when one array would exceed
/// the .NET maximum array length — instead of failing later with <see cref="OutOfMemoryException"/>,
/// <see cref="OverflowException"/> or an index error, possibly after a long fit.
/// </summary>
/// <remarks>
/// The estimates count the dominant arrays (parameters, optimiser state, per-thread scratch), not every small
/// object, so they are lower bounds; the limit defaults to the memory available when the check runs.
/// </remarks>
public static class MemoryBudget
{
    private static long? _limit;

    /// <summary>
    /// The most bytes a fit may need, or null (default) for the memory available at the time of the check
    /// (<see cref="AvailableBytes"/>). Process-wide.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public static long? LimitBytes
    {
        get => _limit;
        set
        {
            if (value is <= 0) throw new ArgumentOutOfRangeException(nameof(LimitBytes), value, "LimitBytes must be positive (or null for the available memory).");
            _limit = value;
        }
    }

    /// <summary>
    /// Memory this process can still allocate: the smaller of the operating system's available memory (Linux
    /// <c>MemAvailable</c>) and the runtime's memory limit (physical memory or the container limit) minus the managed
    /// heap in use.
    /// </summary>
    public static long AvailableBytes()
    {
        var info = GC.GetGCMemoryInfo();
        long runtime = Math.Max(0, info.TotalAvailableMemoryBytes - GC.GetTotalMemory(forceFullCollection: false));
        long? system = LinuxMemAvailable();
        return system is long s ? Math.Min(s, runtime) : runtime;
    }

    /// <summary>
    /// Throws <see cref="MemoryBudgetException"/> when <paramref name="bytes"/> exceed the limit or
    /// <paramref name="largestArrayLength"/> exceeds <see cref="Array.MaxLength"/>.
    /// </summary>
    /// <param name="what">What needs the memory, e.g. "WARP with 1,000,000,000 components for 1,140 users and 2,984 items".</param>
    /// <param name="optionName">The option that drives the size (used as the exception's parameter name).</param>
    /// <param name="optionValue">Its value.</param>
    /// <param name="bytes">Estimated bytes (a double, so that the estimate itself cannot overflow).</param>
    /// <param name="largestArrayLength">Elements of the largest single array.</param>
    public static void Require(string what, string optionName, object? optionValue, double bytes, double largestArrayLength)
    {
        if (largestArrayLength > Array.MaxLength)
            throw new MemoryBudgetException(optionName, optionValue,
                $"{what} needs an array of {largestArrayLength.ToString("N0", CultureInfo.InvariantCulture)} elements; .NET arrays hold at most {Array.MaxLength.ToString("N0", CultureInfo.InvariantCulture)} ({optionName} = {Format(optionValue)})",
                bytes, Limit());
        long limit = Limit();
        if (bytes > limit)
            throw new MemoryBudgetException(optionName, optionValue,
                $"{what} needs about {Size(bytes)} of memory but the limit is {Size(limit)} ({(_limit is null ? "memory available now" : "MemoryBudget.LimitBytes")}; {optionName} = {Format(optionValue)})",
                bytes, limit);
    }

    /// <summary>A byte count as text with a binary unit (e.g. <c>1.5 GiB</c>).</summary>
    public static string Size(double bytes)
    {
        string[] units = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
        int u = 0;
        while (bytes >= 1024 && u < units.Length - 1) { bytes /= 1024; u++; }
        return $"{bytes.ToString(u == 0 ? "0" : "0.0", CultureInfo.InvariantCulture)} {units[u]}";
    }

    /// <summary>Parses a size such as <c>512M</c>, <c>8G</c>, <c>1.5GiB</c> or a plain byte count.</summary>
    /// <returns>False when the text is not a positive size.</returns>
    public static bool TryParseSize(string text, out long bytes)
    {
        bytes = 0;
        if (string.IsNullOrWhiteSpace(text)) return false;
        string t = text.Trim();
        int end = t.Length;
        while (end > 0 && char.IsAsciiLetter(t[end - 1])) end--;
        string unit = t[end..].ToUpperInvariant();
        double scale = unit switch
        {
            "" or "B" => 1,
            "K" or "KB" or "KIB" => 1024d,
            "M" or "MB" or "MIB" => 1024d * 1024,
            "G" or "GB" or "GIB" => 1024d * 1024 * 1024,
            "T" or "TB" or "TIB" => 1024d * 1024 * 1024 * 1024,
            _ => 0,
        };
        if (scale == 0 || !double.TryParse(t[..end], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double number)) return false;
        double value = number * scale;
        if (!(value >= 1) || value > long.MaxValue / 2) return false;
        bytes = (long)value;
        return true;
    }

    private static long Limit() => _limit ?? AvailableBytes();

    private static string Format(object? value) => value is IFormattable f ? f.ToString(null, CultureInfo.InvariantCulture) : value?.ToString() ?? "null";

    private static long? LinuxMemAvailable()
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            foreach (var line in File.ReadLines("/proc/meminfo"))
            {
                if (!line.StartsWith("MemAvailable:", StringComparison.Ordinal)) continue;
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length >= 2 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long kb)) return kb * 1024;
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }
}

/// <summary>
/// A model would need more memory than <see cref="MemoryBudget.LimitBytes"/> allows, or an array longer than .NET
/// supports. <see cref="ArgumentException.ParamName"/> names the option that drives the size.
/// </summary>
public sealed class MemoryBudgetException : ArgumentOutOfRangeException
{
    /// <summary>Creates the exception.</summary>
    public MemoryBudgetException(string optionName, object? value, string problem, double requiredBytes, long limitBytes)
        : base(optionName, value, problem)
    {
        Problem = problem;
        RequiredBytes = requiredBytes;
        LimitBytes = limitBytes;
    }

    /// <summary>What does not fit, in words (the message without the parameter suffix).</summary>
    public string Problem { get; }

    /// <summary>The estimated bytes.</summary>
    public double RequiredBytes { get; }

    /// <summary>The limit that was exceeded.</summary>
    public long LimitBytes { get; }
}
