using DuckDB.NET.Data;
using ExtractPortal.Pipeline.Engine;
using ExtractPortal.Pipeline.Months;
using ExtractPortal.Pipeline.Rendering;
using ExtractPortal.Pipeline.Sources;
using ExtractPortal.Pipeline.Store;
using ExtractPortal.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace ExtractPortal.Tests.Pipeline;

/// <summary>Idempotency, atomicity and the refusals of the local engine, on a small synthetic ODS.</summary>
public sealed class ExtractEngineTests : IDisposable
{
    private static readonly ExtractMonth LastMonth = ExtractMonth.Parse("2026-03");
    private static readonly ExtractMonth[] TwoMonths = [ExtractMonth.Parse("2026-02"), LastMonth];
    private readonly TempFolder _temp = new();
    private readonly FixedClock _clock = FixedClock.At("2026-04-15T08:00:00Z");
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    public void Dispose() => _temp.Dispose();

    private DuckDbFileOdsSource SmallOds(string name, int seedShift = 0, string[]? bankNames = null)
    {
        var path = _temp.Sub(name + ".duckdb");
        var ods = new SyntheticOds(new SyntheticOdsSize(BranchesPerBank: 3, Clients: 200, Loans: 4_000 + seedShift, Months: 8), LastMonth);
        DemoOds.Write(path, ods, _ct);
        if (bankNames is not null)
        {
            using var connection = new DuckDBConnection($"DataSource={path}");
            connection.Open();
            for (var i = 0; i < bankNames.Length; i++)
            {
                using var rename = connection.CreateCommand();
                rename.CommandText = $"UPDATE bank SET name = '{bankNames[i]}' WHERE idbank = {i + 1}";
                rename.ExecuteNonQuery();
            }
        }
        return new DuckDbFileOdsSource(path, name);
    }

    private ExtractEngine Engine(IOdsSource source, LocalExtractStore store) =>
        new(source, store, _clock, NullLogger<ExtractEngine>.Instance);

    private static ExtractRequest Request(string runId, params ExtractMonth[] months) => new(months, runId, "test", "because");

    private static Dictionary<string, byte[]> Extracts(LocalExtractStore store) =>
        TempFolder.Keys(store.Root).Where(k => k.StartsWith("bank_name=")).ToDictionary(k => k, k => File.ReadAllBytes(store.PathOf(k)));

    [Fact]
    public async Task Same_month_over_the_same_data_gives_identical_bytes_at_the_same_keys()
    {
        var store = new LocalExtractStore(_temp.Sub("store"));
        var engine = Engine(SmallOds("ods"), store);
        var first = await engine.RunAsync(Request("run-1", TwoMonths), null, _ct);
        var before = Extracts(store);
        var second = await engine.RunAsync(Request("run-2", TwoMonths), null, _ct);

        Assert.Equal(6, before.Count);   // 3 banks x 2 months
        Assert.Equal(before, Extracts(store));
        Assert.Equal(first.Months.SelectMany(m => m.Manifest.Files).Select(f => f.Sha256),
            second.Months.SelectMany(m => m.Manifest.Files).Select(f => f.Sha256));
        var manifest = await ExtractManifest.ReadAsync(File.OpenRead(store.PathOf(ExtractKeys.ManifestKey(LastMonth))), _ct);
        Assert.Equal("run-2", manifest.RunId);
        Assert.True(File.Exists(store.PathOf(ExtractKeys.RunManifestKey(LastMonth, "run-1"))));
        Assert.Empty(Directory.EnumerateFiles(store.PathOf("_staging/2026-03"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_run_failing_while_staging_leaves_the_published_month_untouched_and_no_staging_files()
    {
        var store = new LocalExtractStore(_temp.Sub("store"));
        await Engine(SmallOds("v1"), store).RunAsync(Request("run-good", TwoMonths), null, _ct);
        var published = Extracts(store);
        var manifestBefore = File.ReadAllBytes(store.PathOf(ExtractKeys.ManifestKey(LastMonth)));

        // New data, and the run is cancelled just as it starts staging the second month's files.
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(_ct);
        var progress = new SynchronousProgress(p => { if (p is { Stage: ExtractStage.Publishing, MonthsPublished: 1 }) cancel.Cancel(); });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Engine(SmallOds("v2", seedShift: 77), store).RunAsync(Request("run-bad", TwoMonths), progress, cancel.Token));

        var after = Extracts(store);
        Assert.NotEqual(published.Where(kv => kv.Key.Contains("month=02")), after.Where(kv => kv.Key.Contains("month=02")));   // month 1 was published
        Assert.Equal(published.Where(kv => kv.Key.Contains("month=03")), after.Where(kv => kv.Key.Contains("month=03")));       // month 2 untouched
        Assert.Equal(manifestBefore, File.ReadAllBytes(store.PathOf(ExtractKeys.ManifestKey(LastMonth))));
        Assert.DoesNotContain(TempFolder.Keys(store.Root), k => k.StartsWith("_staging/2026-03/"));
        Assert.All(after.Keys, k => Assert.EndsWith(".csv", k));
    }

    [Fact]
    public async Task A_run_killed_after_its_commit_is_rolled_forward_by_the_next_lock_of_that_month()
    {
        var store = new LocalExtractStore(_temp.Sub("store"));
        await Engine(SmallOds("v1"), store).RunAsync(Request("run-old", LastMonth), null, _ct);

        // What a clean run over the new data publishes, for comparison.
        var reference = new LocalExtractStore(_temp.Sub("reference"));
        var v2 = SmallOds("v2", seedShift: 77);
        await Engine(v2, reference).RunAsync(Request("run-ref", LastMonth), null, _ct);

        var moves = 0;
        store.AfterFileMoved = _ => { if (++moves == 1) throw new IOException("simulated crash after the first rename"); };
        await Assert.ThrowsAsync<IOException>(() => Engine(v2, store).RunAsync(Request("run-new", LastMonth), null, _ct));
        store.AfterFileMoved = null;

        using (store.TryLockMonth(LastMonth)) { }   // what the next run of the month (or the portal's start) does

        Assert.Equal(Extracts(reference), Extracts(store));
        var manifest = await ExtractManifest.ReadAsync(File.OpenRead(store.PathOf(ExtractKeys.ManifestKey(LastMonth))), _ct);
        Assert.Equal("run-new", manifest.RunId);
        Assert.DoesNotContain(TempFolder.Keys(store.Root), k => k.StartsWith("_staging/2026-03/"));
    }

    [Fact]
    public async Task A_month_held_by_another_run_is_refused_and_nothing_changes()
    {
        var store = new LocalExtractStore(_temp.Sub("store"));
        using var held = store.TryLockMonth(LastMonth);
        Assert.NotNull(held);
        Assert.Null(store.TryLockMonth(LastMonth));
        var error = await Assert.ThrowsAsync<ExtractException>(() => Engine(SmallOds("ods"), store).RunAsync(Request("run-2", TwoMonths), null, _ct));
        Assert.Equal(ExtractErrorKind.MonthBusy, error.Kind);
        Assert.Contains("2026-03", error.Message);
        Assert.Empty(Extracts(store));
    }

    [Fact]
    public async Task A_month_that_has_not_ended_is_refused_naming_it()
    {
        _clock.Now = DateTimeOffset.Parse("2026-03-31T23:59:59Z");
        var store = new LocalExtractStore(_temp.Sub("store"));
        var error = await Assert.ThrowsAsync<ExtractException>(() => Engine(SmallOds("ods"), store).RunAsync(Request("run", TwoMonths), null, _ct));
        Assert.Equal(ExtractErrorKind.MonthNotEnded, error.Kind);
        Assert.Contains("2026-03 has not ended", error.Message);
        Assert.Empty(Extracts(store));
    }

    [Fact]
    public async Task Files_of_a_renamed_bank_are_removed_from_that_month_only()
    {
        var store = new LocalExtractStore(_temp.Sub("store"));
        await Engine(SmallOds("v1"), store).RunAsync(Request("run-1", TwoMonths), null, _ct);
        var renamed = SmallOds("renamed", bankNames: ["Coral Bank & Trust", "Harbour Savings", "Aurora Mutual"]);
        await Engine(renamed, store).RunAsync(Request("run-2", LastMonth), null, _ct);

        var keys = Extracts(store).Keys.ToList();
        Assert.Contains("bank_name=HarbourSavings/year=2026/month=03/HarbourSavings_20260331.csv", keys);
        Assert.DoesNotContain("bank_name=HarbourSavingsTheCommunityBank/year=2026/month=03/HarbourSavingsTheCommunityBank_20260331.csv", keys);
        Assert.Contains("bank_name=HarbourSavingsTheCommunityBank/year=2026/month=02/HarbourSavingsTheCommunityBank_20260228.csv", keys);
        Assert.Equal(6, keys.Count);
    }

    [Fact]
    public async Task Only_the_windows_loans_are_read_from_the_source()
    {
        var source = SmallOds("ods");   // 8 months of loans, 500 a month; a March extract needs Jan..Mar
        using var workspace = new DuckDbWorkspace();
        var stats = await workspace.LoadAsync(source, [LastMonth], _ct);
        workspace.Compute([LastMonth]);
        Assert.InRange(workspace.CountClassifiedLoans(), 1_400, 1_600);
        Assert.Equal(200, stats.RowsPerTable["client"]);
    }

    [Theory]
    [InlineData("../outside")]
    [InlineData("bank_name=A/../../etc/passwd")]
    [InlineData("/etc/passwd")]
    [InlineData("a//b")]
    [InlineData("a\\b")]
    [InlineData("")]
    public void Store_paths_cannot_leave_the_store(string key)
    {
        var store = new LocalExtractStore(_temp.Sub("store"));
        Assert.Throws<ArgumentException>(() => store.PathOf(key));
    }

    /// <summary>Progress<T> posts to the thread pool; the test needs the callback inline.</summary>
    private sealed class SynchronousProgress(Action<ExtractProgress> report) : IProgress<ExtractProgress>
    {
        public void Report(ExtractProgress value) => report(value);
    }
}
