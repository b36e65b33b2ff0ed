using Bunit;
using ExtractPortal.Components.Layout;
using AuditPage = ExtractPortal.Components.Pages.Audit.AuditPage;
using ExtractPortal.Configuration;
using ExtractPortal.Features.Access;
using ExtractPortal.Features.Audit;
using ExtractPortal.Tests.Support;
using Microsoft.AspNetCore.Components;

namespace ExtractPortal.Tests.Components;

public sealed class AuditAndLayoutTests : PortalComponentTest
{
    [Fact]
    public async Task The_audit_page_lists_filters_and_exports_with_the_same_filters()
    {
        var audit = Service<AuditService>();
        await audit.RecordAsync(TestUsers.Operator, AuditActions.RunStarted, "2026-03", "run-1", "fix");
        await audit.RecordAsync(TestUsers.Auditor, AuditActions.ExtractDownloaded, "bank_name=A/year=2026/month=03/A_20260331.csv", "run-1");
        SignInAs(Roles.Auditor);
        Navigate("/audit?action=extract.downloaded");
        var cut = Ctx.Render<AuditPage>();
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=audit-grid] tbody tr")));
        Assert.Contains("ada.auditor", cut.Find("[data-testid=audit-grid] tbody").TextContent);
        Assert.Contains("/audit/export.csv?action=extract.downloaded", cut.Find("[data-testid=audit-export]").GetAttribute("href"));

        cut.Find("input[data-testid=audit-user], [data-testid=audit-user] input").Change("nobody");
        cut.WaitForAssertion(() => cut.Find("[data-testid=audit-empty]"));
        Assert.Contains("user=nobody", Service<NavigationManager>().Uri);
    }

    [Fact]
    public void Non_auditors_get_an_error_not_the_trail()
    {
        SignInAs(Roles.Operator);
        var cut = Ctx.Render<AuditPage>();
        cut.WaitForAssertion(() => Assert.Contains("auditors only", cut.Find("[data-testid=audit-error]").TextContent));
    }

    [Theory]
    [InlineData(Roles.Support, "Runs Extracts")]
    [InlineData(Roles.Operator, "Runs Extracts Backfill")]
    [InlineData(Roles.Auditor, "Runs Extracts Audit")]
    public void The_drawer_shows_what_the_role_may_use_and_the_app_bar_the_user_and_environment(string role, string links)
    {
        SignInAs(role);
        var cut = Ctx.Render<MainLayout>(p => p.Add(x => x.Body, (RenderFragment)(b => b.AddContent(0, "page"))));
        Assert.Equal(links, string.Join(" ", cut.FindAll(".mud-navmenu a").Select(a => a.TextContent.Trim())));
        Assert.Contains("LOCAL", cut.Find("[data-testid=env-badge]").TextContent);
        Assert.Contains(role, cut.Find("[data-testid=signed-in-user]").TextContent);
    }
}
