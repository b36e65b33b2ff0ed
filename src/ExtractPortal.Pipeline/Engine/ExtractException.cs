namespace ExtractPortal.Pipeline.Engine;

/// <summary>What went wrong, so callers (CLI, portal) can choose an exit code or a message.</summary>
public enum ExtractErrorKind
{
    InvalidRequest,
    MonthNotEnded,
    MonthBusy,
    SourceUnreachable,
    SourceInvalid,
    TokenConflict,
    PublishFailed,
}

/// <summary>
/// An expected failure of an extract run with a message fit for an operator: one line, naming
/// the month, bank or database concerned, never a stack trace.
/// </summary>
public sealed class ExtractException(ExtractErrorKind kind, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public ExtractErrorKind Kind { get; } = kind;
}
