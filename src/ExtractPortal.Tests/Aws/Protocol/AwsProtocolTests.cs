using System.Text.Json;
using ExtractPortal.Aws;
using ExtractPortal.Aws.Protocol;
using ExtractPortal.Tests.Aws.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ExtractPortal.Tests.Aws.Protocol;

public sealed class AwsProtocolTests
{
    [Theory]
    [InlineData("com.amazonaws.glue#ConcurrentRunsExceededException", "ConcurrentRunsExceededException")]
    [InlineData("ResourceNotFoundException:http://internal.amazon.com/coral/com.amazon.coral.service/", "ResourceNotFoundException")]
    [InlineData("ThrottlingException", "ThrottlingException")]
    [InlineData("", null)]
    public void Error_codes_lose_their_namespace(string raw, string? expected) =>
        Assert.Equal(expected, AwsJsonClient.NormalizeCode(raw));

    [Fact]
    public void Error_codes_map_to_types()
    {
        static AwsServiceException Make(string code, int status = 400) =>
            AwsServiceException.Create("glue", "Op", code, "m", (System.Net.HttpStatusCode)status, null);
        Assert.IsType<ConcurrentRunsExceededException>(Make("ConcurrentRunsExceededException"));
        Assert.IsType<EntityNotFoundException>(Make("EntityNotFoundException"));
        Assert.IsType<AwsResourceNotFoundException>(Make("ResourceNotFoundException"));
        Assert.IsType<AwsAccessDeniedException>(Make("AccessDeniedException"));
        Assert.IsType<AwsInvalidRequestException>(Make("InvalidInputException"));
        Assert.IsType<AwsThrottledException>(Make("Whatever", 429));
        Assert.IsType<AwsServiceException>(Make("SomethingNew"));
    }

    [Fact]
    public void Backoff_is_full_jitter_bounded_by_the_cap()
    {
        var policy = new AwsRetryPolicy { BaseDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromSeconds(1) };
        var random = new Random(7);
        for (var attempt = 2; attempt <= 10; attempt++)
        {
            var ceiling = Math.Min(1000, 100 * Math.Pow(2, attempt - 2));
            var delays = Enumerable.Range(0, 200).Select(_ => policy.DelayBefore(attempt, false, random).TotalMilliseconds).ToList();
            Assert.All(delays, d => Assert.InRange(d, 0, ceiling));
            Assert.True(delays.Max() > ceiling / 2, "jitter spreads over the whole window");
        }
    }

    [Fact]
    public void Endpoints_default_to_the_region_and_can_be_overridden()
    {
        Assert.Equal("https://glue.eu-west-1.amazonaws.com/", AwsJsonService.ResolveEndpoint(null, "glue", "eu-west-1").ToString());
        Assert.Equal("https://logs.cn-north-1.amazonaws.com.cn/", AwsJsonService.ResolveEndpoint("", "logs", "cn-north-1").ToString());
        Assert.Equal("https://vpce-1.glue.eu-west-1.vpce.amazonaws.com/", AwsJsonService.ResolveEndpoint("https://vpce-1.glue.eu-west-1.vpce.amazonaws.com/", "glue", "eu-west-1").ToString());
    }

    [Fact]
    public void The_model_validator_catches_what_the_clients_must_not_send()
    {
        var glue = AwsServiceModel.Load("glue");
        using var bad = JsonDocument.Parse("""{"Arguments":{"--x":1},"Jobname":"x","NumberOfWorkers":"2"}""");
        var errors = glue.Validate("StartJobRun", bad.RootElement);
        Assert.Contains(errors, e => e.Contains("$.Jobname: not a member"));
        Assert.Contains(errors, e => e.Contains("$.JobName: required"));
        Assert.Contains(errors, e => e.Contains("$.Arguments[--x]: string expected"));
        Assert.Contains(errors, e => e.Contains("$.NumberOfWorkers: integer expected"));
        using var many = JsonDocument.Parse("""{"JobName":"j","JobRunIds":[]}""");
        Assert.Contains(glue.Validate("BatchStopJobRun", many.RootElement), e => e.Contains("below min 1"));
        var logs = AwsServiceModel.Load("logs");
        using var limit = JsonDocument.Parse("""{"logGroupName":"g","logStreamName":"s","limit":0}""");
        Assert.Contains(logs.Validate("GetLogEvents", limit.RootElement), e => e.Contains("below min 1"));
    }

    [Fact]
    public void The_pinned_models_are_what_extract_py_produces_from_botocore()
    {
        // The pinned copy names its source; regenerate with testdata/aws-models/extract.py.
        foreach (var service in new[] { "glue", "logs" })
        {
            var text = File.ReadAllText(Path.Combine(RepoPaths.Root, "testdata", "aws-models", service + ".json"));
            Assert.Contains("\"source\": \"botocore ", text);
        }
        Assert.Equal("AWSGlue", AwsServiceModel.Load("glue").TargetPrefix);
        Assert.Equal("Logs_20140328", AwsServiceModel.Load("logs").TargetPrefix);
    }

    [Fact]
    public void Aws_mode_without_its_settings_fails_with_messages_naming_them()
    {
        var services = new ServiceCollection();
        services.AddAwsOptions(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        using var provider = services.BuildServiceProvider();
        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<AwsOptions>>().Value);
        var all = string.Join("\n", e.Failures);
        foreach (var key in new[] { "Aws:GlueJobName", "Aws:ExtractsBucket", "Aws:RunsTable", "Aws:AuditTable", "Aws:Auth:AlbArn", "Aws:Auth:Issuer", "Aws:Auth:LogoutUrl", "Aws:Auth:ClientId", "Aws:DataProtection:Bucket" })
            Assert.Contains(key, all);
    }

    [Fact]
    public void A_valid_section_passes_and_malformed_values_are_named()
    {
        var ok = new ServiceCollection();
        ok.AddAwsOptions(TestAws.Configuration());
        using (var provider = ok.BuildServiceProvider())
            Assert.Equal("extracts", provider.GetRequiredService<IOptions<AwsOptions>>().Value.ExtractsPrefix);

        var bad = new ServiceCollection();
        bad.AddAwsOptions(TestAws.Configuration(new()
        {
            ["Aws:Region"] = "Ireland",
            ["Aws:Auth:AlbArn"] = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/nlb/123",
            ["Aws:Auth:Issuer"] = "http://cognito.example.com",
            ["Aws:ServiceUrls:Glue"] = "glue.local",
            ["Aws:ExtractsPrefix"] = "/extracts/",
        }));
        using var badProvider = bad.BuildServiceProvider();
        var e = Assert.Throws<OptionsValidationException>(() => badProvider.GetRequiredService<IOptions<AwsOptions>>().Value);
        var all = string.Join("\n", e.Failures);
        foreach (var key in new[] { "Aws:Region", "Aws:Auth:AlbArn", "Aws:Auth:Issuer", "Aws:ServiceUrls:Glue", "Aws:ExtractsPrefix" })
            Assert.Contains(key, all);
    }
}
