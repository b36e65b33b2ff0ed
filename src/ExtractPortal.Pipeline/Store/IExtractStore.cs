using ExtractPortal.Pipeline.Months;

namespace ExtractPortal.Pipeline.Store;

/// <summary>
/// Where the engine publishes: the local folder store, or an S3(-compatible) bucket prefix. Both
/// follow the protocol of docs/extract-store.md: stage, verify, commit, move into place, remove
/// the month's stale files, write the manifests.
/// </summary>
public interface IExtractStore
{
    /// <summary>For logs and the CLI summary, e.g. the folder or s3://bucket/prefix.</summary>
    string Description { get; }

    /// <summary>Holds the month for one run and completes or discards what an earlier run left; null when busy.</summary>
    IDisposable? TryLockMonth(ExtractMonth month);

    /// <summary>A fresh local staging folder for the month's files.</summary>
    StagedMonth Stage(ExtractMonth month, string runId);

    /// <summary>True once publishing has passed its point of no return.</summary>
    bool IsCommitted(StagedMonth staged);

    /// <summary>Throws away an uncommitted staging (the month stays as it was).</summary>
    void Discard(StagedMonth staged);

    Task<ExtractManifest> PublishAsync(StagedMonth staged, ExtractManifest manifest, CancellationToken ct);
}
