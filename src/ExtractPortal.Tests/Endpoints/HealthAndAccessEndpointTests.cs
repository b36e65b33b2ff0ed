using System.Net;
using System.Text.Json;
using ExtractPortal.Features.Access;
using ExtractPortal.Tests.Support;
using ExtractPortal.Configuration;
using ExtractPortal.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ExtractPortal.Tests.Endpoints;

public sealed class HealthAndAccessEndpointTests
{
    [Fact]
    public async Task Healthz_and_readyz_report_the_process_and_its_backends()
    {
        await using var app = PortalApp.Start();
        using var client = await app.ClientAsync(null);
        using var live = await client.GetAsync("/healthz", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        using var ready = await client.GetAsync("/readyz", TestContext.Current.CancellationToken);
        var json = JsonDocument.Parse(await ready.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", json.GetProperty("status").GetString());
        foreach (var check in new[] { "ods", "extract-store", "portal-database" })
            Assert.Equal("Healthy", json.GetProperty("checks").GetProperty(check).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Readyz_is_503_when_the_ods_is_unreachable_and_names_it_without_secrets()
    {
        await using var app = PortalApp.Start(settings: new Dictionary<string, string?>
        {
            ["Portal:OdsConnectionString"] = "Host=127.0.0.1;Port=1;Database=ods;Username=postgres;Password=s3cret-pw;Timeout=2",
        });
        using var client = await app.ClientAsync(null);
        using var ready = await client.GetAsync("/readyz", TestContext.Current.CancellationToken);
        var body = await ready.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("ODS not reachable", body);
        Assert.DoesNotContain("s3cret-pw", body);
    }

    [Fact]
    public async Task Pages_redirect_anonymous_browsers_to_the_sign_in_and_log_downloads_need_a_role()
    {
        await using var app = PortalApp.Start();
        using var anonymous = await app.ClientAsync(null);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/runs");
        request.Headers.Accept.ParseAdd("text/html");
        using var page = await anonymous.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/signin", page.Headers.Location!.PathAndQuery);
        using var log = await anonymous.GetAsync("/runs/run-1/log", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, log.StatusCode);
        using var support = await app.ClientAsync(Roles.Support);
        using var missing = await support.GetAsync("/runs/run-1/log", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using var export = await support.GetAsync("/audit/export.csv", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Forbidden, export.StatusCode);
    }

    [Fact]
    public async Task Errors_show_a_friendly_page_with_a_reference_and_unknown_pages_a_not_found_page()
    {
        await using var app = PortalApp.Start();
        using var client = await app.ClientAsync(Roles.Support);
        var error = await client.GetStringAsync("/Error", TestContext.Current.CancellationToken);
        Assert.Contains("Something went wrong", error);
        Assert.Contains("Reference:", error);
        Assert.DoesNotContain("Exception", error);
        Assert.DoesNotContain("Development Mode", error);
        using var missing = await client.GetAsync("/no-such-page", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task The_development_sign_in_answers_only_loopback_requests()
    {
        using var folder = new TempDataFolder();
        // The in-memory test server has no remote address: like a request that is not from this computer.
        await using var factory = PortalApp.Create(folder.Path);
        using var client = factory.CreateClient(new() { AllowAutoRedirect = false });
        using var page = await client.GetAsync("/signin", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        using var post = await client.PostAsync("/account/signin", new FormUrlEncodedContent(new Dictionary<string, string> { ["user"] = "ada.auditor" }), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
    }

    [Theory]
    [InlineData("Portal:Mode", "Aws", "Portal:Mode is Aws")]
    [InlineData("Portal:MaxConcurrentRuns", "0", "MaxConcurrentRuns")]
    [InlineData("Portal:OdsConnectionString", "Host=x;Port=notanumber", "Portal:OdsConnectionString is not a valid")]
    public async Task Invalid_configuration_stops_the_start_with_a_clear_error(string key, string value, string message)
    {
        using var folder = new TempDataFolder();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Portal:DataFolder"] = folder.Path, ["urls"] = "http://127.0.0.1:0", [key] = value,
        });
        builder.AddPortalOptions();
        builder.Services.AddLocalBackends();
        await using var app = builder.Build();
        var error = Assert.Throws<OptionsValidationException>(() => app.Services.GetRequiredService<IOptions<PortalOptions>>().Value);
        Assert.Contains(message, error.Message);
        Assert.Equal(2, await app.RunPortalAsync());
    }
}
