using ExtractPortal.Local;
using ExtractPortal.Tests.Support;

namespace ExtractPortal.Tests.Local;

public sealed class LocalRunLogsTests : IDisposable
{
    private readonly TempDataFolder _folder = new();

    [Fact]
    public async Task Tail_pages_backwards_with_cursors_until_the_first_line()
    {
        var ct = TestContext.Current.CancellationToken;
        var logs = new LocalRunLogs(Path.Combine(_folder.Path, "runs"));
        for (var i = 1; i <= 1000; i++) await logs.AppendAsync("run-1", $"line {i} " + new string('x', i % 50), ct);

        var last = await logs.ReadTailAsync("run-1", null, 100, ct);
        Assert.Equal(100, last.Lines.Count);
        Assert.StartsWith("line 901 ", last.Lines[0]);
        Assert.StartsWith("line 1000 ", last.Lines[^1]);

        var all = new List<string>(last.Lines);
        var cursor = last.OlderCursor;
        while (cursor is not null)
        {
            var page = await logs.ReadTailAsync("run-1", cursor, 300, ct);
            Assert.True(page.Lines.Count <= 300);
            all.InsertRange(0, page.Lines);
            cursor = page.OlderCursor;
        }
        Assert.Equal(Enumerable.Range(1, 1000).Select(i => $"line {i} " + new string('x', i % 50)), all);
    }

    [Fact]
    public async Task Live_tail_returns_only_lines_written_since_the_cursor()
    {
        var ct = TestContext.Current.CancellationToken;
        var logs = new LocalRunLogs(Path.Combine(_folder.Path, "runs"));
        var empty = await logs.ReadTailAsync("run-2", null, 10, ct);
        Assert.Empty(empty.Lines);
        await logs.AppendAsync("run-2", "a", ct);
        var first = await logs.ReadNewAsync("run-2", empty.NewerCursor, 10, ct);
        Assert.Equal(["a"], first.Lines);
        await logs.AppendAsync("run-2", "b\nwith a newline", ct);
        var second = await logs.ReadNewAsync("run-2", first.NewerCursor, 10, ct);
        Assert.Equal(["b | with a newline"], second.Lines);
        Assert.Empty((await logs.ReadNewAsync("run-2", second.NewerCursor, 10, ct)).Lines);
    }

    [Fact]
    public void Run_ids_cannot_name_a_path()
    {
        var logs = new LocalRunLogs(Path.Combine(_folder.Path, "runs"));
        Assert.Throws<ArgumentException>(() => logs.PathOf("../portal"));
        Assert.Throws<ArgumentException>(() => logs.PathOf("a/b"));
    }

    public void Dispose() => _folder.Dispose();
}
