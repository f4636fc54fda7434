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

    /// <summary>EDGEAI_REPO_ROOT if set (builds with --artifacts-path outside the tree), else the first folder
    /// above the test binaries or the working directory that holds EdgeAi.sln.</summary>
    private static string FindRoot()
    {
        if (Environment.GetEnvironmentVariable("EDGEAI_REPO_ROOT") is { Length: > 0 } env) return env;
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "EdgeAi.sln"))) return dir.FullName;
            }
        }
        throw new InvalidOperationException($"EdgeAi.sln not found above {AppContext.BaseDirectory}; set EDGEAI_REPO_ROOT");
    }
}
