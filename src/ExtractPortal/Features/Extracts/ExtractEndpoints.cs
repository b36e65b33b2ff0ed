using ExtractPortal.Features.Access;
using ExtractPortal.Pipeline.Months;

namespace ExtractPortal.Features.Extracts;

public static class ExtractEndpoints
{
    /// <summary>
    /// <c>GET /extracts/{token}/{yyyy-MM}/download</c>: the exact published file, streamed, as
    /// text/csv with its file name and SHA-256 (auditors only; audited). A token that is not
    /// A-Z a-z 0-9 or a month that is not YYYY-MM is 400; an unknown bank or month is 404.
    /// </summary>
    public static WebApplication MapExtractDownloads(this WebApplication app)
    {
        app.MapGet("/extracts/{token}/{month}/download", async (string token, string month, HttpContext context, ExtractService extracts, CancellationToken ct) =>
        {
            if (!ExtractUrls.IsToken(token) || !ExtractMonth.TryParse(month, out _, out _)) return Results.BadRequest("not a bank token or a YYYY-MM month");
            var download = await extracts.OpenDownloadAsync(context.User, token, month, ct);
            if (download is null) return Results.NotFound();
            context.Response.RegisterForDisposeAsync(download);
            if (download.Sha256 is not null)
            {
                context.Response.Headers["X-Checksum-SHA256"] = download.Sha256;
                context.Response.Headers["Repr-Digest"] = $"sha-256=:{Convert.ToBase64String(Convert.FromHexString(download.Sha256))}:";
            }
            context.Response.Headers.CacheControl = "no-store";
            return Results.File(download.Content, "text/csv; charset=utf-8", download.FileName, enableRangeProcessing: false);
        }).RequireAuthorization(Policies.DownloadExtracts);
        return app;
    }
}
