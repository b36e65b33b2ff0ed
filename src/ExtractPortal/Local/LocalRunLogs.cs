using System.Globalization;
using System.Text;
using ExtractPortal.Features.Runs;

namespace ExtractPortal.Local;

/// <summary>
/// Run logs as files, <c>&lt;DataFolder&gt;/runs/&lt;run_id&gt;.log</c>, one UTF-8 line per event.
/// Reading is paged by byte offsets (the cursors): the tail is read backwards in small chunks, so a
/// large log is never loaded whole.
/// </summary>
public sealed class LocalRunLogs(string folder) : IRunLogs
{
    private const int ChunkSize = 16 * 1024;
    private const int MaxBytesPerPage = 512 * 1024;

    public string Folder { get; } = Path.GetFullPath(folder);

    public string PathOf(string runId) =>
        RunIds.IsValid(runId) ? Path.Combine(Folder, runId + ".log") : throw new ArgumentException($"invalid run id '{runId}'", nameof(runId));

    /// <summary>Appends lines (local engine only).</summary>
    public async Task AppendAsync(string runId, string line, CancellationToken ct = default)
    {
        Directory.CreateDirectory(Folder);
        var bytes = Encoding.UTF8.GetBytes(line.ReplaceLineEndings(" | ") + "\n");
        await using var stream = new FileStream(PathOf(runId), FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        await stream.WriteAsync(bytes, ct);
    }

    public async Task<LogPage> ReadTailAsync(string runId, string? beforeCursor, int maxLines, CancellationToken ct)
    {
        var path = PathOf(runId);
        if (!File.Exists(path)) return new LogPage([], null, "0");
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, useAsync: true);
        var length = stream.Length;
        var end = Math.Min(ParseCursor(beforeCursor) ?? length, length);
        // Only complete lines: when reading the live end, stop at the last newline.
        var buffer = new List<byte[]>();
        long start = end, newlines = 0, read = 0;
        while (start > 0 && newlines <= maxLines && read < MaxBytesPerPage)
        {
            var size = (int)Math.Min(ChunkSize, start);
            start -= size;
            var chunk = new byte[size];
            stream.Position = start;
            await stream.ReadExactlyAsync(chunk, ct);
            buffer.Insert(0, chunk);
            read += size;
            newlines += chunk.Count(b => b == (byte)'\n');
        }
        var bytes = buffer.SelectMany(b => b).ToArray();
        // bytes covers [start, end). Cut to whole lines: drop a partial first line unless start == 0.
        var offset = 0;
        if (start > 0)
        {
            var firstNewline = Array.IndexOf(bytes, (byte)'\n');
            offset = firstNewline < 0 ? bytes.Length : firstNewline + 1;
        }
        var lastNewline = Array.LastIndexOf(bytes, (byte)'\n');
        var usableEnd = lastNewline < offset ? offset : lastNewline + 1;
        var text = Encoding.UTF8.GetString(bytes, offset, usableEnd - offset);
        var lines = text.Split('\n');
        var all = lines.Take(lines.Length - 1).ToList();   // the text ends with '\n'
        var skip = Math.Max(0, all.Count - maxLines);
        var taken = all.Skip(skip).ToList();
        var firstOffset = start + offset + all.Take(skip).Sum(l => (long)Encoding.UTF8.GetByteCount(l) + 1);
        var newer = beforeCursor is null ? start + usableEnd : end;
        return new LogPage(taken, firstOffset > 0 ? Cursor(firstOffset) : null, Cursor(newer));
    }

    public async Task<LogPage> ReadNewAsync(string runId, string afterCursor, int maxLines, CancellationToken ct)
    {
        var path = PathOf(runId);
        var from = ParseCursor(afterCursor) ?? 0;
        if (!File.Exists(path)) return new LogPage([], null, Cursor(from));
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, useAsync: true);
        if (from >= stream.Length) return new LogPage([], null, Cursor(from));
        stream.Position = from;
        var size = (int)Math.Min(MaxBytesPerPage, stream.Length - from);
        var bytes = new byte[size];
        await stream.ReadExactlyAsync(bytes, ct);
        var lines = new List<string>();
        var position = 0;
        while (lines.Count < maxLines)
        {
            var newline = Array.IndexOf(bytes, (byte)'\n', position);
            if (newline < 0) break;
            lines.Add(Encoding.UTF8.GetString(bytes, position, newline - position));
            position = newline + 1;
        }
        return new LogPage(lines, null, Cursor(from + position));
    }

    public Task<Stream?> OpenAsync(string runId, CancellationToken ct)
    {
        var path = PathOf(runId);
        return Task.FromResult<Stream?>(File.Exists(path)
            ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 65536, useAsync: true)
            : null);
    }

    private static string Cursor(long offset) => offset.ToString(CultureInfo.InvariantCulture);

    private static long? ParseCursor(string? cursor) =>
        long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= 0 ? value : null;
}
