namespace ExtractPortal.Tests.Infrastructure;

/// <summary>A clock stopped at a given instant, for month-has-ended rules.</summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public static FixedClock At(string isoInstant) => new(DateTimeOffset.Parse(isoInstant, global::System.Globalization.CultureInfo.InvariantCulture));

    public override DateTimeOffset GetUtcNow() => Now;
}
