using ExtractPortal.Aws;
using ExtractPortal.Cli;
using ExtractPortal.Features.Access;
using ExtractPortal.Features.Audit;
using ExtractPortal.Features.Extracts;
using ExtractPortal.Features.Health;
using ExtractPortal.Features.Runs;
using ExtractPortal.Hosting;

if (CommandLine.IsVerb(args)) return await CommandLine.RunAsync(args);

var builder = WebApplication.CreateBuilder(args);
builder.AddPortalOptions();
builder.AddPortalLogging();
builder.AddPortalAccess();
builder.Services.AddPortalUi();
builder.Services.AddRuns().AddExtracts().AddBackfills().AddAudit();
if (builder.Configuration.IsAwsMode()) builder.Services.AddAwsBackends(builder.Configuration);   // Glue, S3, CloudWatch Logs, DynamoDB: docs/aws-mode.md
else builder.Services.AddLocalBackends();

var app = builder.Build();
app.UsePortalPipeline();
app.MapHealthEndpoints();
app.MapAccountEndpoints();
app.MapRunLogDownloads();
app.MapExtractDownloads();
app.MapAuditExport();
app.MapPortalUi();
return await app.RunPortalAsync();

/// <summary>Visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
