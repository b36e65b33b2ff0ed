using ExtractPortal.Features.Access;
using ExtractPortal.Features.Audit;
using ExtractPortal.Features.Runs;
using ExtractPortal.Pipeline.Months;
using ExtractPortal.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace ExtractPortal.Tests.Features.Runs;

public sealed class RunServiceTests : IDisposable
{
    private readonly TempDataFolder _folder = new();
    private readonly ServiceProvider _services;
    private readonly IRunService _runs;

    public RunServiceTests()
    {
        _services = PortalServices.Build(_folder.Path, new FixedClock(DateTimeOffset.Parse("2026-11-27T08:00:00Z")));
        _runs = _services.GetRequiredService<IRunService>();
    }

    [Theory]
    [InlineData(Roles.Support)]
    [InlineData(Roles.Auditor)]
    public async Task Only_operators_start_and_cancel_runs(string role)
    {
        var user = TestUsers.For(role);
        await Assert.ThrowsAsync<AccessDeniedException>(() => _runs.StartAsync(user, [ExtractMonth.Parse("2026-03")], "why"));
        await Assert.ThrowsAsync<AccessDeniedException>(() => _runs.CancelAsync(user, "run-x"));
        Assert.Equal(0, (await _runs.ListAsync(user, new RunQuery())).TotalCount);   // but they see the history
    }

    [Fact]
    public async Task Anonymous_users_see_nothing()
    {
        await Assert.ThrowsAsync<AccessDeniedException>(() => _runs.ListAsync(TestUsers.Anonymous, new RunQuery()));
        await Assert.ThrowsAsync<AccessDeniedException>(() => _runs.OpenLogAsync(TestUsers.Anonymous, "run-x"));
    }

    [Fact]
    public async Task A_reason_is_required_and_months_must_have_ended()
    {
        var e = await Assert.ThrowsAsync<RunRequestException>(() => _runs.StartAsync(TestUsers.Operator, [ExtractMonth.Parse("2026-03")], "  "));
        Assert.Contains("reason", e.Message);
        var notEnded = await Assert.ThrowsAsync<RunRequestException>(() => _runs.StartAsync(TestUsers.Operator, [ExtractMonth.Parse("2026-11")], "why"));
        Assert.Contains("2026-11 has not ended", notEnded.Message);
    }

    [Fact]
    public async Task Starting_is_idempotent_per_month_and_audited()
    {
        var first = await _runs.StartAsync(TestUsers.Operator, [ExtractMonth.Parse("2026-03"), ExtractMonth.Parse("2026-04")], "monthly fix");
        var again = await _runs.StartAsync(TestUsers.For(Roles.Operator, "second.operator"), [ExtractMonth.Parse("2026-04")], "click again");
        Assert.Equal(2, first.Count);
        Assert.All(first, r => Assert.False(r.AlreadyActive));
        Assert.True(again.Single().AlreadyActive);
        Assert.Equal(first[1].Run.RunId, again.Single().Run.RunId);
        Assert.Equal(2, _services.GetRequiredService<RecordingLauncher>().Enqueued.Count);

        var audit = await _services.GetRequiredService<AuditService>().QueryAsync(TestUsers.Auditor, new AuditQuery());
        Assert.Equal(2, audit.Items.Count(e => e.Action == AuditActions.RunStarted));
        var repeat = Assert.Single(audit.Items, e => e.Action == AuditActions.RunAlreadyActive);
        Assert.Equal("second.operator", repeat.User);
        Assert.Equal(first[1].Run.RunId, repeat.RunId);
        Assert.Equal("click again", repeat.Reason);
    }

    [Fact]
    public async Task Cancelling_is_audited_with_the_run()
    {
        var started = (await _runs.StartAsync(TestUsers.Operator, [ExtractMonth.Parse("2026-02")], "r")).Single();
        var cancelled = await _runs.CancelAsync(TestUsers.Operator, started.Run.RunId);
        Assert.Equal(RunState.Cancelled, cancelled!.State);
        var audit = await _services.GetRequiredService<AuditService>().QueryAsync(TestUsers.Auditor, new AuditQuery { Action = AuditActions.RunCancelled });
        Assert.Equal(started.Run.RunId, Assert.Single(audit.Items).RunId);
    }

    public void Dispose()
    {
        _services.Dispose();
        _folder.Dispose();
    }
}
