using System.Security.Claims;

namespace ExtractPortal.Features.Access;

/// <summary>The three roles (also the Cognito group names).</summary>
public static class Roles
{
    public const string Support = "support";
    public const string Operator = "operator";
    public const string Auditor = "auditor";

    public static readonly string[] All = [Support, Operator, Auditor];
}

/// <summary>
/// Authorization policies used by pages and endpoints. Every role sees runs, logs and the extracts
/// matrix; operators also start and cancel runs; auditors also download extracts and read the audit
/// trail (separation of duties: who runs an extract is not who takes it away).
/// </summary>
public static class Policies
{
    public const string ViewRuns = "view-runs";
    public const string OperateRuns = "operate-runs";
    public const string DownloadExtracts = "download-extracts";
    public const string ViewAudit = "view-audit";
}

/// <summary>Thrown by the services when the signed-in user may not do what was asked.</summary>
public sealed class AccessDeniedException(string message) : Exception(message);

/// <summary>Checks made by the services themselves, so hiding a button is never the only guard.</summary>
public static class Access
{
    public static bool CanView(ClaimsPrincipal user) => Roles.All.Any(user.IsInRole);
    public static bool CanOperate(ClaimsPrincipal user) => user.IsInRole(Roles.Operator);
    public static bool CanDownload(ClaimsPrincipal user) => user.IsInRole(Roles.Auditor);
    public static bool CanAudit(ClaimsPrincipal user) => user.IsInRole(Roles.Auditor);

    public static void DemandView(ClaimsPrincipal user) => Demand(CanView(user), "view runs and extracts");
    public static void DemandOperate(ClaimsPrincipal user) => Demand(CanOperate(user), "start or cancel runs (operators only)");
    public static void DemandDownload(ClaimsPrincipal user) => Demand(CanDownload(user), "download extracts (auditors only)");
    public static void DemandAudit(ClaimsPrincipal user) => Demand(CanAudit(user), "read the audit trail (auditors only)");

    private static void Demand(bool allowed, string what)
    {
        if (!allowed) throw new AccessDeniedException($"You are not allowed to {what}.");
    }

    public static string NameOf(ClaimsPrincipal user) => user.Identity?.IsAuthenticated == true ? user.Identity.Name ?? "unknown" : "anonymous";

    public static string RoleOf(ClaimsPrincipal user) => Roles.All.FirstOrDefault(user.IsInRole) ?? "none";
}
