namespace EdgeAi.Bench;

internal static class BenchArgs
{
    public static string Get(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }

    public static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "EdgeAi.sln"))) return d.FullName;
        return Environment.GetEnvironmentVariable("EDGEAI_REPO_ROOT") ?? Directory.GetCurrentDirectory();
    }
}
