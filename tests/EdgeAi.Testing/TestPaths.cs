namespace EdgeAi.Testing;

/// <summary>Repository locations for tests: the root (where EdgeAi.sln is) and the git-ignored cache.</summary>
public static class TestPaths
{
    public static string RepoRoot { get; } = FindRoot();

    public static string Cache => Directory.CreateDirectory(Path.Combine(RepoRoot, ".cache")).FullName;

    public static string InRepo(params string[] parts) => Path.Combine([RepoRoot, .. parts]);

    /// <summary>A fresh temporary folder, removed by the caller (fixtures do it in DisposeAsync).</summary>
    public static string NewTempDir(string prefix)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"edgeai-{prefix}-{Guid.NewGuid():N}"[..Math.Min(40, 16 + prefix.Length)]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EdgeAi.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"EdgeAi.sln not found above {AppContext.BaseDirectory}");
    }
}
