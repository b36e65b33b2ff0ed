using System.Text;
using ExtractPortal.Aws.DynamoDb;
using ExtractPortal.Aws.Protocol;
using ExtractPortal.Features.Runs;

namespace ExtractPortal.Aws.Logs;

/// <summary>
/// AWS mode's <see cref="IRunLogs"/>: the Glue run's CloudWatch Logs (via <see cref="GlueRunLogs"/>).
/// The portal's run id is mapped to the Glue job run id through the run index. The tail and
/// *Load more* read the driver's output stream newest-first (GetLogEvents, the backward token is the
/// "older" cursor), the live tail reads forward from the forward token; the full-log download streams
/// the run's streams page by page (FilterLogEvents on the run id prefix: driver and executors), then,
/// with Glue's default groups, the error stream: never the whole log in memory.
/// A run that has no Glue run yet, or whose stream does not exist yet, has an empty log.
/// </summary>
public sealed class CloudWatchRunLogs(DynamoRunIndex index, IServiceProvider services, AwsOptions options) : IRunLogs
{
    private GlueRunLogs Logs => services.GetRequiredService<GlueRunLogs>();
    private CloudWatchLogsClient Client => services.GetRequiredService<CloudWatchLogsClient>();

    private async Task<string?> GlueRunIdAsync(string runId, CancellationToken ct)
    {
        if (await index.GetAsync(runId, ct) is { } run) return run.EngineRunId;
        return runId.StartsWith("jr_", StringComparison.Ordinal) && await index.RunIdOfGlueRunAsync(runId, ct) is not null ? runId : null;
    }

    public async Task<LogPage> ReadTailAsync(string runId, string? beforeCursor, int maxLines, CancellationToken ct)
    {
        if (await GlueRunIdAsync(runId, ct) is not { } glueRunId) return new LogPage([], null, "");
        try
        {
            var page = await Logs.ReadTailAsync(glueRunId, GlueLogStream.Output, string.IsNullOrEmpty(beforeCursor) ? null : beforeCursor, maxLines, ct);
            return new LogPage(page.Events.Select(Line).ToList(), page.OlderCursor, page.NewerCursor ?? "");
        }
        catch (AwsResourceNotFoundException)
        {
            return new LogPage([], null, "");   // the stream appears once the driver logs
        }
    }

    public async Task<LogPage> ReadNewAsync(string runId, string afterCursor, int maxLines, CancellationToken ct)
    {
        if (await GlueRunIdAsync(runId, ct) is not { } glueRunId) return new LogPage([], null, afterCursor);
        try
        {
            if (string.IsNullOrEmpty(afterCursor))
            {
                // Nothing was there when the tail was read: from the start of the stream.
                var first = await Client.GetLogEventsAsync(new GetLogEventsQuery(Logs.GroupFor(GlueLogStream.Output), glueRunId)
                    { StartFromHead = true, Limit = Math.Clamp(maxLines, 1, CloudWatchLogsClient.MaxLimit) }, ct);
                return new LogPage(first.Events.Select(Line).ToList(), null, first.NextForwardToken ?? "");
            }
            var page = await Logs.ReadNewAsync(glueRunId, GlueLogStream.Output, afterCursor, maxLines, ct);
            return new LogPage(page.Events.Select(Line).ToList(), null, page.NewerCursor ?? afterCursor);
        }
        catch (AwsResourceNotFoundException)
        {
            return new LogPage([], null, afterCursor);
        }
    }

    public async Task<Stream?> OpenAsync(string runId, CancellationToken ct)
    {
        if (await GlueRunIdAsync(runId, ct) is not { } glueRunId) return null;
        var stream = new LineStream(AllLinesAsync(glueRunId, CancellationToken.None));
        try
        {
            if (!await stream.PrimeAsync(ct)) { await stream.DisposeAsync(); return null; }
            return stream;
        }
        catch (AwsResourceNotFoundException)
        {
            await stream.DisposeAsync();
            return null;
        }
    }

    private async IAsyncEnumerable<string> AllLinesAsync(string glueRunId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var e in Client.FilterAllAsync(Logs.GroupFor(GlueLogStream.Output), glueRunId, int.MaxValue, ct))
            yield return Line(e);
        if (!string.IsNullOrWhiteSpace(options.GlueLogGroup)) yield break;   // one group holds both
        var header = false;
        IAsyncEnumerator<LogEvent>? errors = null;
        try
        {
            errors = Client.ReadStreamAsync(Logs.GroupFor(GlueLogStream.Error), glueRunId, int.MaxValue, ct).GetAsyncEnumerator(ct);
            while (true)
            {
                bool more;
                try { more = await errors.MoveNextAsync(); }
                catch (AwsResourceNotFoundException) { yield break; }   // no error stream: nothing went to stderr
                if (!more) yield break;
                if (!header) { header = true; yield return $"---- {GlueRunLogs.DefaultErrorGroup} ----"; }
                yield return Line(errors.Current);
            }
        }
        finally
        {
            if (errors is not null) await errors.DisposeAsync();
        }
    }

    private static string Line(LogEvent e) =>
        $"{e.Timestamp.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fff'Z'} {e.Message.TrimEnd('\r', '\n').ReplaceLineEndings(" | ")}";

    /// <summary>A read-only stream of UTF-8 lines pulled from an async sequence as the response is written.</summary>
    private sealed class LineStream(IAsyncEnumerable<string> lines) : Stream
    {
        private readonly IAsyncEnumerator<string> _lines = lines.GetAsyncEnumerator();
        private byte[] _current = [];
        private int _offset;
        private bool _done;
        private int _disposed;

        /// <summary>Reads the first line (so a missing log is known before the response starts); false when there is none.</summary>
        public async Task<bool> PrimeAsync(CancellationToken ct)
        {
            ct.ThrowIfCancellationRequested();
            return await NextAsync();
        }

        private async ValueTask<bool> NextAsync()
        {
            if (_done) return false;
            if (!await _lines.MoveNextAsync()) { _done = true; return false; }
            _current = Encoding.UTF8.GetBytes(_lines.Current + "\n");
            _offset = 0;
            return true;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
        {
            if (buffer.Length == 0) return 0;
            while (_offset >= _current.Length)
                if (!await NextAsync()) return 0;
            var n = Math.Min(buffer.Length, _current.Length - _offset);
            _current.AsMemory(_offset, n).CopyTo(buffer);
            _offset += n;
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
            ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

        public override async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) await _lines.DisposeAsync();
            GC.SuppressFinalize(this);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0) _lines.DisposeAsync().AsTask().GetAwaiter().GetResult();
            base.Dispose(disposing);
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
