using System.ComponentModel.DataAnnotations;
using System.Net;
using ExtractPortal.Configuration;
using ExtractPortal.Features.Access;
using Microsoft.AspNetCore.Http;

namespace ExtractPortal.Tests.Features.Access;

/// <summary>Who may reach the local development sign-in: loopback, plus networks named explicitly.</summary>
public sealed class DevSignInNetworkTests
{
    private static HttpContext From(string address) =>
        new DefaultHttpContext { Connection = { RemoteIpAddress = IPAddress.Parse(address) } };

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("::1", true)]
    [InlineData("172.18.0.1", false)]
    [InlineData("10.0.0.5", false)]
    public void By_default_only_loopback_may_sign_in(string address, bool allowed) =>
        Assert.Equal(allowed, AccountEndpoints.MayUseDevSignIn(From(address), new PortalOptions()));

    [Theory]
    [InlineData("172.18.0.1", true)]
    [InlineData("::ffff:172.18.0.1", true)]
    [InlineData("192.168.1.20", false)]
    [InlineData("8.8.8.8", false)]
    public void A_configured_network_is_allowed_and_nothing_else(string address, bool allowed)
    {
        var options = new PortalOptions { DevSignInNetworks = ["172.16.0.0/12"] };
        Assert.Equal(allowed, AccountEndpoints.MayUseDevSignIn(From(address), options));
    }

    [Fact]
    public void A_network_that_is_not_cidr_is_a_configuration_error_naming_the_setting()
    {
        var options = new PortalOptions { DevSignInNetworks = ["everyone"] };
        var errors = options.Validate(new ValidationContext(options)).ToList();
        Assert.Contains(errors, e => e.ErrorMessage!.Contains("Portal:DevSignInNetworks: 'everyone' is not a network"));
    }
}
