using ExtractPortal.Pipeline.Months;
using ExtractPortal.Pipeline.Sources;
using ExtractPortal.Pipeline.Store;

namespace ExtractPortal.Pipeline.Engine;

/// <summary>What to extract, and who asked and why (both recorded in the manifests).</summary>
public sealed record ExtractRequest(IReadOnlyList<ExtractMonth> Months, string RunId, string TriggeredBy, string Reason)
{
    /// <summary>A run id that sorts by start time: <c>run-20261127-080102-3f2a9c</c>.</summary>
    public static string NewRunId(DateTimeOffset now) =>
        $"run-{now.UtcDateTime:yyyyMMdd-HHmmss}-{Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().AsSpan(0, 3))}";
}

/// <summary>Where a run is; reported as it goes so the portal can show it.</summary>
public enum ExtractStage { Validating, Loading, Computing, Publishing, Done }

public sealed record ExtractProgress(ExtractStage Stage, string Detail, int MonthsPublished, int MonthsTotal);

public sealed record MonthOutcome(ExtractMonth Month, ExtractManifest Manifest);

public sealed record ExtractRunResult(string RunId, IReadOnlyList<MonthOutcome> Months, SourceLoadStats SourceRows, TimeSpan Elapsed);
