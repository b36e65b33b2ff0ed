using System.Diagnostics;
using DuckDB.NET.Data;
using ExtractPortal.Pipeline.Months;
using ExtractPortal.Pipeline.Rendering;
using ExtractPortal.Pipeline.Sources;
using ExtractPortal.Pipeline.Store;
using Microsoft.Extensions.Logging;

namespace ExtractPortal.Pipeline.Engine;

/// <summary>
/// The local engine, DuckDB standing in for Spark the way the Glue job uses it: copy the dimension
/// tables and the window's loans from the ODS, register the months as data, run the shared SQL,
/// render each bank's file and publish month by month.
/// </summary>
public sealed class ExtractEngine(IOdsSource source, IExtractStore store, TimeProvider clock, ILogger<ExtractEngine> logger)
{
    public const string EngineName = "duckdb-local";

    public IOdsSource Source => source;
    public IExtractStore Store => store;

    public async Task<ExtractRunResult> RunAsync(ExtractRequest request, IProgress<ExtractProgress>? progress, CancellationToken ct)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["RunId"] = request.RunId });
        var elapsed = Stopwatch.StartNew();
        var startedAt = clock.GetUtcNow();
        var months = Validate(request);
        void Report(ExtractStage stage, string detail, int published = 0) =>
            progress?.Report(new ExtractProgress(stage, detail, published, months.Count));

        Report(ExtractStage.Validating, $"locking {Describe(months)}");
        var locks = new List<IDisposable>();
        try
        {
            foreach (var month in months)
                locks.Add(store.TryLockMonth(month) ?? throw new ExtractException(ExtractErrorKind.MonthBusy,
                    $"another run is already extracting {month}; wait for it or cancel it"));

            using var workspace = new DuckDbWorkspace();
            Report(ExtractStage.Loading, $"reading {source.Description}: dimensions whole, loans from {months[0].WindowStart:yyyy-MM-dd} to before {months[^1].WindowEnd:yyyy-MM-dd}");
            var load = Stopwatch.StartNew();
            var sourceRows = await workspace.LoadAsync(source, months, ct);

            ct.ThrowIfCancellationRequested();
            Report(ExtractStage.Computing, $"running the business logic SQL for {Describe(months)}");
            var compute = Stopwatch.StartNew();
            var (rows, quality) = workspace.Compute(months);
            if (!sourceRows.RowsPerTable.ContainsKey(OdsTables.Loans.Name))
                sourceRows = sourceRows.With(OdsTables.Loans.Name, workspace.CountClassifiedLoans());
            logger.LogInformation("Read {Source} (loading {LoadMs} ms): {RowsPerTable}", source.Description, load.ElapsedMilliseconds,
                string.Join(", ", sourceRows.RowsPerTable.Select(kv => $"{kv.Key}={kv.Value}")));
            var banks = ExtractKeys.AssignTokens(workspace.ReadBanks());   // before anything is published
            logger.LogInformation("Computed {Rows} branch rows for {Banks} banks in {ElapsedMs} ms", rows.Count, banks.Count, compute.ElapsedMilliseconds);

            var outcomes = new List<MonthOutcome>();
            foreach (var month in months)
            {
                ct.ThrowIfCancellationRequested();
                Report(ExtractStage.Publishing, $"publishing {month}", outcomes.Count);
                var manifest = await PublishMonthAsync(request, month, startedAt, banks, rows, quality[month.ToString()], ct);
                outcomes.Add(new MonthOutcome(month, manifest));
                LogMonth(manifest);
            }
            Report(ExtractStage.Done, $"published {Describe(months)}", outcomes.Count);
            return new ExtractRunResult(request.RunId, outcomes, sourceRows, elapsed.Elapsed);
        }
        catch (DuckDBException e)
        {
            throw new ExtractException(ExtractErrorKind.SourceInvalid, $"the business logic SQL failed: {e.Message.Split('\n')[0]}", e);
        }
        finally
        {
            foreach (var held in locks) held.Dispose();
        }
    }

    private List<ExtractMonth> Validate(ExtractRequest request)
    {
        if (request.Months.Count == 0) throw new ExtractException(ExtractErrorKind.InvalidRequest, "no month to extract");
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var notEnded = request.Months.Where(m => !m.HasEnded(today)).Distinct().Order().ToList();
        if (notEnded.Count > 0)
            throw new ExtractException(ExtractErrorKind.MonthNotEnded,
                $"{string.Join(", ", notEnded)} has not ended yet (today is {today:yyyy-MM-dd} UTC); only complete months can be extracted");
        return request.Months.Distinct().Order().ToList();
    }

    private async Task<ExtractManifest> PublishMonthAsync(ExtractRequest request, ExtractMonth month, DateTimeOffset startedAt,
        IReadOnlyList<BankFile> banks, IReadOnlyList<ExtractRow> rows, DataQuality quality, CancellationToken ct)
    {
        var staged = store.Stage(month, request.RunId);
        try
        {
            return await StageAndPublishAsync(request, month, startedAt, banks, rows, quality, staged, ct);
        }
        catch when (!store.IsCommitted(staged))
        {
            store.Discard(staged);   // not committed: the month stays exactly as it was
            throw;
        }
    }

    private async Task<ExtractManifest> StageAndPublishAsync(ExtractRequest request, ExtractMonth month, DateTimeOffset startedAt,
        IReadOnlyList<BankFile> banks, IReadOnlyList<ExtractRow> rows, DataQuality quality, StagedMonth staged, CancellationToken ct)
    {
        var monthText = month.ToString();
        foreach (var bank in banks)
        {
            var key = ExtractKeys.FileKey(bank.Token, month);
            var path = staged.PathFor(key);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            RenderedFile rendered;
            await using (var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 65536, useAsync: true))
                rendered = await ExtractCsv.WriteAsync(rows.Where(r => r.Month == monthText && r.BankId == bank.BankId), output, ct);
            staged.Files.Add(new StagedFile(key, path, bank, rendered));
        }

        var manifest = new ExtractManifest
        {
            RunId = request.RunId,
            Engine = EngineName,
            Month = monthText,
            WindowStart = month.WindowStart.ToString("yyyy-MM-dd"),
            WindowEnd = month.WindowEnd.ToString("yyyy-MM-dd"),
            TriggeredBy = request.TriggeredBy,
            Reason = request.Reason,
            StartedAt = startedAt,
            PublishedAt = clock.GetUtcNow(),
            DataQuality = quality,
            Files = staged.Files.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => new ManifestFile
            {
                BankId = f.Bank.BankId,
                BankName = f.Bank.BankName,
                Token = f.Bank.Token,
                Key = f.Key,
                Rows = f.Rendered.Rows,
                Bytes = f.Rendered.Bytes,
                Sha256 = f.Rendered.Sha256,
                ControlTotals = new ManifestControlTotals
                {
                    LoanCount = f.Rendered.ControlTotals.LoanCount,
                    LoanAmount = f.Rendered.ControlTotals.LoanAmount,
                    LoanCount3m = f.Rendered.ControlTotals.LoanCount3m,
                    LoanAmount3m = f.Rendered.ControlTotals.LoanAmount3m,
                },
            }).ToList(),
        };
        return await store.PublishAsync(staged, manifest, ct);
    }

    private void LogMonth(ExtractManifest manifest)
    {
        var excluded = manifest.DataQuality.Excluded;
        logger.LogInformation(
            "Published {Month}: {Files} files, {Rows} rows, {Bytes} bytes; loans read {LoansRead}, used {LoansUsed}, left out: " +
            "null amount {NullAmount}, null date {NullLoanDate}, unknown account {OrphanAccount}, unknown client {OrphanClient}, " +
            "unknown branch {OrphanBranch}, unknown bank {OrphanBank}",
            manifest.Month, manifest.Files.Count, manifest.Files.Sum(f => f.Rows), manifest.Files.Sum(f => f.Bytes),
            manifest.DataQuality.LoansRead, manifest.DataQuality.LoansUsed, excluded.NullAmount, excluded.NullLoanDate,
            excluded.OrphanAccount, excluded.OrphanClient, excluded.OrphanBranch, excluded.OrphanBank);
    }

    private static string Describe(IReadOnlyList<ExtractMonth> months) =>
        months.Count == 1 ? months[0].ToString() : $"{months.Count} months ({months[0]}..{months[^1]})";
}
