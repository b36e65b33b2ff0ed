using ExtractPortal.Configuration;
using ExtractPortal.Pipeline.Sources;
using Microsoft.Extensions.Options;

namespace ExtractPortal.Local;

/// <summary>The ODS the local engine reads: the embedded demo ODS, or a PostgreSQL ODS when configured.</summary>
public interface IOdsSourceProvider
{
    Task<IOdsSource> GetAsync(CancellationToken ct);
}

public sealed class OdsSourceProvider(IOptions<PortalOptions> options, TimeProvider clock) : IOdsSourceProvider
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IOdsSource? _source;

    public async Task<IOdsSource> GetAsync(CancellationToken ct)
    {
        if (_source is not null) return _source;
        await _gate.WaitAsync(ct);
        try
        {
            var settings = options.Value;
            return _source ??= string.IsNullOrWhiteSpace(settings.OdsConnectionString)
                ? await DemoOds.EnsureAsync(settings.ResolvedDataFolder, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), ct)
                : new PostgresOdsSource(settings.OdsConnectionString);
        }
        finally
        {
            _gate.Release();
        }
    }
}
