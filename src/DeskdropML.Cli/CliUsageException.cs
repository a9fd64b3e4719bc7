namespace DeskdropML.Cli;

/// <summary>A bad command line or bad input: printed as one line, exit code 2.</summary>
internal sealed class CliUsageException(string message) : Exception(message);
