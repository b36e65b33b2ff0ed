namespace ExtractPortal.Tests.Support;

/// <summary>A data folder of its own for each test, removed afterwards.</summary>
public sealed class TempDataFolder : IDisposable
{
    public TempDataFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "portal-test-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }
    public string StoreRoot => System.IO.Path.Combine(Path, "extracts");

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
