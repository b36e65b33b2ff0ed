using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace ExtractPortal.Components.Shared;

/// <summary>Base for pages: the signed-in user, and friendly handling of refused or failed calls.</summary>
public abstract class PortalPage : ComponentBase
{
    [CascadingParameter] private Task<AuthenticationState>? AuthenticationState { get; set; }

    protected ClaimsPrincipal User { get; private set; } = new(new ClaimsIdentity());

    protected sealed override async Task OnInitializedAsync()
    {
        if (AuthenticationState is not null) User = (await AuthenticationState).User;
        await OnPageInitializedAsync();
    }

    /// <summary>Runs once the user is known.</summary>
    protected virtual Task OnPageInitializedAsync() => Task.CompletedTask;

    protected static string Duration(TimeSpan? duration) => duration is not { } d ? "–"
        : d.TotalHours >= 1 ? $"{(int)d.TotalHours} h {d.Minutes:D2} min"
        : d.TotalMinutes >= 1 ? $"{(int)d.TotalMinutes} min {d.Seconds:D2} s"
        : $"{d.TotalSeconds:0.0} s";

    protected static string Time(DateTimeOffset? at) => at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss") + " UTC" : "–";

    protected static string Bytes(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):0.00} GiB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):0.0} MiB",
        >= 1L << 10 => $"{bytes / 1024.0:0.0} KiB",
        _ => $"{bytes} bytes",
    };
}
