using EdgeAi.Testing;

namespace EdgeAi.Browser.Tests;

/// <summary>
/// What every browser test shares: a temporary folder, Central's API token, and the processes it starts (broker,
/// Central, platform …), disposed in reverse order of <see cref="Track"/> once the test is done.
/// </summary>
public abstract class BrowserSystemTest(string folderPrefix) : IAsyncLifetime
{
    protected const string Device = "edge-01";
    private readonly List<IAsyncDisposable> _cleanup = [];

    /// <summary>The test's own folder (configs, database, rendered media); deleted at the end.</summary>
    protected string Dir { get; } = TestPaths.NewTempDir(folderPrefix);

    /// <summary>Central's API token for this test.</summary>
    protected string Token { get; } = "tok-" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        for (var i = _cleanup.Count - 1; i >= 0; i--) await _cleanup[i].DisposeAsync();
        try { Directory.Delete(Dir, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    /// <summary>Disposes <paramref name="d"/> when the test ends.</summary>
    protected T Track<T>(T d) where T : IAsyncDisposable
    {
        _cleanup.Add(d);
        return d;
    }
}
