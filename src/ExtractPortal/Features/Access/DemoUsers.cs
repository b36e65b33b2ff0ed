namespace ExtractPortal.Features.Access;

public sealed record DemoUser(string UserName, string DisplayName, string Role, string Description);

/// <summary>The three users of the local development sign-in (local mode only).</summary>
public static class DemoUsers
{
    public static readonly IReadOnlyList<DemoUser> All =
    [
        new("sam.support", "Sam Support", Roles.Support, "Browses run history, logs and previews when something fails."),
        new("olivia.operator", "Olivia Operator", Roles.Operator, "Starts re-runs and backfills, cancels runs."),
        new("ada.auditor", "Ada Auditor", Roles.Auditor, "Downloads bank extracts and reads the audit trail."),
    ];

    public static DemoUser? Find(string? userName) => All.FirstOrDefault(u => u.UserName == userName);
}
