using System.Text;
using ExtractPortal.Features.Extracts;

namespace ExtractPortal.Tests.Features.Extracts;

public sealed class CsvHeadTests
{
    [Fact]
    public async Task Parses_quoted_fields_and_stops_after_the_rows_asked()
    {
        var csv = "a,b,c\n1,\"x, \"\"y\"\"\",3\n2,\"multi\nline\",\n3,,z\n";
        var head = await CsvHead.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)), 2, 1 << 20, TestContext.Current.CancellationToken);
        Assert.Equal(["a", "b", "c"], head.Columns);
        Assert.Equal(2, head.Rows.Count);
        Assert.Equal(["1", "x, \"y\"", "3"], head.Rows[0]);
        Assert.Equal(["2", "multi\nline", ""], head.Rows[1]);
        Assert.True(head.MoreRows);
    }

    [Fact]
    public async Task Reads_only_the_head_of_a_large_stream()
    {
        var line = Encoding.UTF8.GetBytes("Bank,1,\"Road, 1\",2026-03,1,2,3,4,5.00,6.00\n");
        var stream = new RepeatingStream(Encoding.UTF8.GetBytes("h1,h2,h3,h4,h5,h6,h7,h8,h9,h10\n"), line, 200L * 1024 * 1024);
        var head = await CsvHead.ReadAsync(stream, 50, 1 << 20, TestContext.Current.CancellationToken);
        Assert.Equal(50, head.Rows.Count);
        Assert.True(head.BytesRead <= 64 * 1024, $"read {head.BytesRead} bytes");
    }

    /// <summary>A header then one line repeated up to a length, generated on the fly.</summary>
    private sealed class RepeatingStream(byte[] header, byte[] line, long length) : Stream
    {
        private long _position;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = 0;
            while (n < count && _position < length)
            {
                buffer[offset + n++] = _position < header.Length ? header[_position] : line[(_position - header.Length) % line.Length];
                _position++;
            }
            return n;
        }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
