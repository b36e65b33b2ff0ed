using Bunit;
using ExtractPortal.Components.Pages.Extracts;
using ExtractPortal.Features.Access;
using ExtractPortal.Features.Runs;
using ExtractPortal.Tests.Support;

namespace ExtractPortal.Tests.Components;

public sealed class ExtractPagesTests : PortalComponentTest
{
    [Fact]
    public void The_matrix_has_an_empty_state()
    {
        SignInAs(Roles.Support);
        var cut = Ctx.Render<ExtractsPage>();
        cut.WaitForAssertion(() => Assert.Contains("No extract has been published yet", cut.Find("[data-testid=extracts-empty]").TextContent));
    }

    [Fact]
    public async Task The_matrix_shows_published_missing_failed_and_running_partitions()
    {
        StoreSeeder.Publish(Folder.StoreRoot, "2026-09", "run-a", ("Coral Bank", StoreSeeder.Csv("Coral Bank", "2026-09", 2)), ("Zebra Bank", StoreSeeder.Csv("Zebra Bank", "2026-09", 2)));
        var store = Service<IRunStore>();
        var failed = await store.StartOrGetActiveAsync(new NewRun("2026-08", "o", "r", null), default);
        await store.CompleteAsync(failed.Run.RunId, RunState.Failed, "boom", default);
        await store.StartOrGetActiveAsync(new NewRun("2026-10", "o", "r", null), default);

        SignInAs(Roles.Support);
        var cut = Ctx.Render<ExtractsPage>();
        cut.WaitForAssertion(() => cut.Find("[data-testid=extracts-matrix]"));
        string Status(string token, string month) => cut.Find($"td[data-token='{token}'][data-month='{month}']").GetAttribute("data-status")!;
        Assert.Equal("published", Status("CoralBank", "2026-09"));
        Assert.Equal("failed", Status("CoralBank", "2026-08"));
        Assert.Equal("running", Status("ZebraBank", "2026-10"));
        Assert.Equal("missing", Status("ZebraBank", "2026-07"));
        Assert.Equal("/extracts/CoralBank/2026-09", cut.Find("td[data-token='CoralBank'][data-month='2026-09'] a").GetAttribute("href"));
    }

    [Theory]
    [InlineData(Roles.Auditor, true)]
    [InlineData(Roles.Operator, false)]
    [InlineData(Roles.Support, false)]
    public void The_extract_view_previews_the_head_and_offers_downloads_to_auditors_only(string role, bool canDownload)
    {
        var manifest = StoreSeeder.Publish(Folder.StoreRoot, "2026-09", "run-a", ("Coral Bank", StoreSeeder.Csv("Coral Bank", "2026-09", 80)));
        SignInAs(role);
        var cut = Ctx.Render<ExtractView>(p => p.Add(x => x.Token, "CoralBank").Add(x => x.Month, "2026-09"));
        cut.WaitForAssertion(() => cut.Find("[data-testid=preview]"));
        Assert.Equal(50, cut.FindAll("[data-testid=preview] tbody tr").Count);   // the head only
        Assert.Equal("1 Main Road, Town", cut.FindAll("[data-testid=preview] tbody tr")[0].Children[2].TextContent);
        Assert.Equal(manifest.Files[0].Sha256, cut.Find("[data-testid=extract-sha256]").TextContent);
        Assert.Equal("80", cut.Find("[data-testid=extract-rows]").TextContent);
        Assert.Equal("run-a", cut.Find("[data-testid=extract-run]").TextContent);
        Assert.Equal(canDownload, cut.FindAll("[data-testid=download]").Count == 1);
        Assert.Equal(!canDownload, cut.FindAll("[data-testid=download-auditors-only]").Count == 1);
        if (canDownload) Assert.Equal("/extracts/CoralBank/2026-09/download", cut.Find("[data-testid=download]").GetAttribute("href"));
        Assert.Equal(role == Roles.Operator, cut.FindAll("[data-testid=rerun-month]").Count == 1);
    }

    [Theory]
    [InlineData("NoBank", "2026-09")]
    [InlineData("..", "2026-09")]
    [InlineData("CoralBank", "..%2f..")]
    public void Unknown_or_invalid_extracts_say_not_found(string token, string month)
    {
        StoreSeeder.Publish(Folder.StoreRoot, "2026-09", "run-a", ("Coral Bank", StoreSeeder.Csv("Coral Bank", "2026-09", 2)));
        SignInAs(Roles.Auditor);
        var cut = Ctx.Render<ExtractView>(p => p.Add(x => x.Token, token).Add(x => x.Month, month));
        cut.WaitForAssertion(() => cut.Find("[data-testid=extract-not-found]"));
    }
}
