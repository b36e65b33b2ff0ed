using System.Net;
using System.Security.Cryptography;
using ExtractPortal.Features.Access;
using ExtractPortal.Features.Audit;
using Microsoft.Extensions.DependencyInjection;
using ExtractPortal.Tests.Support;

namespace ExtractPortal.Tests.Endpoints;

public sealed class DownloadEndpointTests : IAsyncLifetime
{
    private PortalApp _app = null!;
    private const string Url = "/extracts/CoralBankTrust/2026-03/download";

    public ValueTask InitializeAsync()
    {
        _app = PortalApp.Start();
        StoreSeeder.Publish(_app.StoreRoot, "2026-03", "run-20261101-080000-abcdef", ("Coral Bank & Trust", StoreSeeder.Csv("Coral Bank & Trust", "2026-03", 5)));
        File.WriteAllText(Path.Combine(_app.DataFolder, "secret.txt"), "TOP-SECRET-OUTSIDE-THE-STORE");
        return ValueTask.CompletedTask;
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData(Roles.Support, HttpStatusCode.Forbidden)]
    [InlineData(Roles.Operator, HttpStatusCode.Forbidden)]
    [InlineData(Roles.Auditor, HttpStatusCode.OK)]
    public async Task Only_auditors_download(string? role, HttpStatusCode expected)
    {
        using var client = await _app.ClientAsync(role);
        using var response = await client.GetAsync(Url, TestContext.Current.CancellationToken);
        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.Forbidden)
        {
            var denied = await _app.Services.GetRequiredService<IAuditTrail>().QueryAsync(new AuditQuery { Action = AuditActions.AccessDenied }, TestContext.Current.CancellationToken);
            Assert.Contains(denied.Items, e => e.Target == Url && e.Role == role);
        }
    }

    [Fact]
    public async Task The_download_is_the_exact_published_file_with_type_name_and_checksum_and_is_audited()
    {
        using var client = await _app.ClientAsync(Roles.Auditor);
        using var response = await client.GetAsync(Url, TestContext.Current.CancellationToken);
        var bytes = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        var stored = await File.ReadAllBytesAsync(Path.Combine(_app.StoreRoot, "bank_name=CoralBankTrust/year=2026/month=03/CoralBankTrust_20260331.csv"), TestContext.Current.CancellationToken);
        Assert.Equal(stored, bytes);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("CoralBankTrust_20260331.csv", response.Content.Headers.ContentDisposition!.FileNameStar ?? response.Content.Headers.ContentDisposition.FileName);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(stored)), response.Headers.GetValues("X-Checksum-SHA256").Single());

        using var export = await client.GetAsync("/audit/export.csv?action=extract.downloaded", TestContext.Current.CancellationToken);
        var csv = await export.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("ada.auditor,auditor,extract.downloaded,bank_name=CoralBankTrust/year=2026/month=03/CoralBankTrust_20260331.csv,run-20261101-080000-abcdef", csv);
    }

    [Theory]
    [InlineData("/extracts/NoSuchBank/2026-03/download")]
    [InlineData("/extracts/CoralBankTrust/2025-03/download")]
    public async Task Unknown_bank_or_month_is_404(string url)
    {
        using var client = await _app.ClientAsync(Roles.Auditor);
        using var response = await client.GetAsync(url, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("/extracts/..%2f..%2fsecret.txt/2026-03/download")]
    [InlineData("/extracts/%2e%2e/2026-03/download")]
    [InlineData("/extracts/%2E%2E%2F%2E%2E/2026-03/download")]
    [InlineData("/extracts/CoralBankTrust/..%2f..%2f..%2fsecret.txt/download")]
    [InlineData("/extracts/CoralBankTrust/%2e%2e/download")]
    [InlineData("/extracts/../../secret.txt/2026-03/download")]
    [InlineData("/extracts/CoralBankTrust/2026-03%2f..%2f..%2f..%2fsecret.txt/download")]
    [InlineData("/extracts/Coral%00Bank/2026-03/download")]
    [InlineData("/extracts/bank_name=CoralBankTrust/2026-03/download")]
    [InlineData("/runs/..%2f..%2fsecret.txt/log")]
    [InlineData("/runs/%2e%2e/log")]
    [InlineData("/runs/..%5c..%5csecret.txt/log")]
    public async Task Traversal_in_any_path_parameter_is_refused_and_never_leaves_the_store(string rawPath)
    {
        using var client = await _app.ClientAsync(Roles.Auditor);
        var (status, body) = await _app.RawGetAsync(rawPath, _app.CookieHeader(client));
        Assert.True(status is 400 or 404, $"{rawPath} gave {status}");
        Assert.DoesNotContain("TOP-SECRET", body);
        Assert.DoesNotContain("SQLite format", body);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
