using System.Security.Claims;
using ExtractPortal.Features.Access;

namespace ExtractPortal.Tests.Support;

public static class TestUsers
{
    public static ClaimsPrincipal For(string role, string? name = null) => new(new ClaimsIdentity(
        [new Claim(ClaimTypes.Name, name ?? DemoUsers.All.First(u => u.Role == role).UserName), new Claim(ClaimTypes.Role, role)],
        "test", ClaimTypes.Name, ClaimTypes.Role));

    public static ClaimsPrincipal Support => For(Roles.Support);
    public static ClaimsPrincipal Operator => For(Roles.Operator);
    public static ClaimsPrincipal Auditor => For(Roles.Auditor);
    public static ClaimsPrincipal Anonymous => new(new ClaimsIdentity());
}
