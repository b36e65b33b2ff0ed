using System.Text;
using ExtractPortal.Features.Access;
using ExtractPortal.Features.Audit;
using ExtractPortal.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace ExtractPortal.Tests.Features.Audit;

public sealed class AuditServiceTests : IDisposable
{
    private readonly TempDataFolder _folder = new();
    private readonly ServiceProvider _services;
    private readonly AuditService _audit;

    public AuditServiceTests()
    {
        _services = PortalServices.Build(_folder.Path);
        _audit = _services.GetRequiredService<AuditService>();
    }

    [Fact]
    public async Task Entries_are_filtered_and_exported_as_csv_for_auditors_only()
    {
        await _audit.RecordAsync(TestUsers.Operator, AuditActions.RunStarted, "2026-03", "run-1", "fix, \"quoted\"");
        await _audit.RecordAsync(TestUsers.Auditor, AuditActions.ExtractDownloaded, "bank_name=A/year=2026/month=03/A_20260331.csv", "run-1", null, "=cmd()");
        await _audit.RecordAsync(TestUsers.Operator, AuditActions.RunStarted, "2026-04", "run-2", "other");

        var downloads = await _audit.QueryAsync(TestUsers.Auditor, new AuditQuery { Action = AuditActions.ExtractDownloaded });
        Assert.Equal("ada.auditor", Assert.Single(downloads.Items).User);
        Assert.Equal(2, (await _audit.QueryAsync(TestUsers.Auditor, new AuditQuery { RunId = "run-1" })).TotalCount);
        Assert.Equal(1, (await _audit.QueryAsync(TestUsers.Auditor, new AuditQuery { Text = "2026-04" })).TotalCount);
        Assert.Equal(2, (await _audit.QueryAsync(TestUsers.Auditor, new AuditQuery { User = "olivia" })).TotalCount);

        using var output = new MemoryStream();
        await _audit.ExportCsvAsync(TestUsers.Auditor, new AuditQuery { RunId = "run-1" }, output, TestContext.Current.CancellationToken);
        var lines = Encoding.UTF8.GetString(output.ToArray()).Split('\n');
        Assert.Equal(AuditService.CsvHeader.TrimEnd('\n'), lines[0]);
        Assert.EndsWith(",olivia.operator,operator,run.started,2026-03,run-1,\"fix, \"\"quoted\"\"\",", lines[1]);
        Assert.EndsWith(",'=cmd()", lines[2]);   // no formula injection in spreadsheets

        foreach (var user in new[] { TestUsers.Support, TestUsers.Operator })
        {
            await Assert.ThrowsAsync<AccessDeniedException>(() => _audit.QueryAsync(user, new AuditQuery()));
            await Assert.ThrowsAsync<AccessDeniedException>(() => _audit.ExportCsvAsync(user, new AuditQuery(), Stream.Null, default));
        }
    }

    public void Dispose()
    {
        _services.Dispose();
        _folder.Dispose();
    }
}
