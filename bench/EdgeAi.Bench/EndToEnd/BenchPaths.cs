using EdgeAi.Testing;

namespace EdgeAi.Bench.EndToEnd;

/// <summary>Repository locations the benchmarks use (root from EDGEAI_REPO_ROOT or the folder above that holds EdgeAi.sln).</summary>
internal static class BenchPaths
{
    public static string Root => TestPaths.RepoRoot;

    public static string DemoManifest => Path.Combine(Root, "models", "demo", "edgeai-demo.manifest.json");

    public static string Results => Directory.CreateDirectory(Path.Combine(Root, "bench", "results")).FullName;

    public static string Clips => Directory.CreateDirectory(Path.Combine(Root, ".cache", "clips")).FullName;
}

/// <summary>Command-line options of the form <c>--name value</c> and <c>--flag</c>.</summary>
internal static class BenchArgs
{
    public static string Get(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }

    public static int Int(string[] args, string name, int fallback) =>
        int.Parse(Get(args, name, fallback.ToString(global::System.Globalization.CultureInfo.InvariantCulture)), global::System.Globalization.CultureInfo.InvariantCulture);

    public static double Double(string[] args, string name, double fallback) =>
        double.Parse(Get(args, name, fallback.ToString(global::System.Globalization.CultureInfo.InvariantCulture)), global::System.Globalization.CultureInfo.InvariantCulture);

    public static bool Flag(string[] args, string name) => args.Contains(name);
}
