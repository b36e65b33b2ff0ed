using System.Text;

namespace ExtractPortal.Features.Extracts;

/// <summary>The first rows of a CSV file and how many bytes were read to get them.</summary>
public sealed record HeadPreview(IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows, long BytesRead, bool MoreRows);

/// <summary>
/// Reads only the head of a CSV stream: small buffered reads, stops as soon as enough rows are
/// parsed (quotes per the extract contract: a quoted field may hold commas, doubled quotes and newlines).
/// </summary>
public static class CsvHead
{
    public const int BufferSize = 16 * 1024;

    public static async Task<HeadPreview> ReadAsync(Stream stream, int maxRows, long maxBytes, CancellationToken ct)
    {
        var counting = new CountingStream(stream);
        using var reader = new StreamReader(counting, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: false, BufferSize, leaveOpen: true);
        var records = new List<List<string>>();
        var field = new StringBuilder();
        var record = new List<string>();
        var inQuotes = false;
        var buffer = new char[BufferSize];
        var more = false;
        var pendingQuote = false;
        while (true)
        {
            var read = await reader.ReadAsync(buffer, ct);
            if (read == 0) break;
            for (var i = 0; i < read; i++)
            {
                var c = buffer[i];
                if (pendingQuote)
                {
                    pendingQuote = false;
                    if (c == '"') { field.Append('"'); continue; }
                    inQuotes = false;
                }
                if (inQuotes)
                {
                    if (c == '"') pendingQuote = true;
                    else field.Append(c);
                    continue;
                }
                switch (c)
                {
                    case '"': inQuotes = true; break;
                    case ',': record.Add(field.ToString()); field.Clear(); break;
                    case '\r': break;
                    case '\n':
                        record.Add(field.ToString()); field.Clear();
                        records.Add(record); record = [];
                        if (records.Count > maxRows) { more = true; goto done; }
                        break;
                    default: field.Append(c); break;
                }
            }
            if (counting.BytesRead >= maxBytes) { more = true; break; }
        }
        if (field.Length > 0 || record.Count > 0) { record.Add(field.ToString()); records.Add(record); }
        done:
        if (records.Count == 0) return new HeadPreview([], [], counting.BytesRead, false);
        var rows = records.Skip(1).Take(maxRows).Select(r => (IReadOnlyList<string>)r).ToList();
        return new HeadPreview(records[0], rows, counting.BytesRead, more);
    }

    private sealed class CountingStream(Stream inner) : Stream
    {
        public long BytesRead { get; private set; }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) { var n = inner.Read(buffer, offset, count); BytesRead += n; return n; }
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var n = await inner.ReadAsync(buffer, cancellationToken);
            BytesRead += n;
            return n;
        }
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
