using Bunit;
using Bunit.TestDoubles;
using ExtractPortal.Features.Access;
using ExtractPortal.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Configuration;
using MudBlazor.Services;

namespace ExtractPortal.Tests.Components;

/// <summary>bUnit with MudBlazor and the portal's services over local backends in a temp data folder.</summary>
public abstract class PortalComponentTest : IAsyncDisposable
{
    protected readonly TempDataFolder Folder = new();
    protected readonly BunitContext Ctx = new();
    protected readonly FixedClock Clock = new(DateTimeOffset.Parse("2026-11-27T08:00:00Z"));
    private readonly BunitAuthorizationContext _auth;

    protected PortalComponentTest()
    {
        Ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        Ctx.Services.AddMudServices();
        Ctx.Services.AddPortalForTests(Folder.Path, Clock);
        Ctx.Services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        _auth = Ctx.AddAuthorization();
    }

    protected T Service<T>() where T : notnull => Ctx.Services.GetRequiredService<T>();

    /// <summary>Signs the component tree in as the role's demo user (roles and the matching policies).</summary>
    protected void SignInAs(string role)
    {
        _auth.SetAuthorized(DemoUsers.All.First(u => u.Role == role).UserName);
        _auth.SetRoles(role);
        var policies = new List<string> { Policies.ViewRuns };
        if (role == Roles.Operator) policies.Add(Policies.OperateRuns);
        if (role == Roles.Auditor) policies.AddRange([Policies.DownloadExtracts, Policies.ViewAudit]);
        _auth.SetPolicies([.. policies]);
    }

    protected void Navigate(string uri) => Service<Microsoft.AspNetCore.Components.NavigationManager>().NavigateTo(uri);

    public async ValueTask DisposeAsync()
    {
        await Ctx.DisposeAsync();
        Folder.Dispose();
        GC.SuppressFinalize(this);
    }
}
