using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using EdgeAi.Bench.EndToEnd;

namespace EdgeAi.Bench.Micro;

/// <summary>
/// <c>EdgeAi.Bench micro [--quick] [BenchmarkDotNet args, e.g. --filter *Tracker*]</c>: every micro-benchmark in this
/// folder, in process (no generated project: builds stay offline and out of tree), with the memory diagnoser. Reports
/// (GitHub markdown + JSON) go to bench/results/micro/results/. --quick: a short job (3 iterations) for checking that all run.
/// </summary>
internal static class MicroBenchmarks
{
    public static int Run(string[] args)
    {
        var quick = args.Contains("--quick");
        var rest = args.Where(a => a != "--quick").ToArray();
        if (!rest.Contains("--filter")) rest = [.. rest, "--filter", "*"];
        var job = quick
            ? Job.Default.WithWarmupCount(1).WithIterationCount(3).WithLaunchCount(1).WithId("quick")
            : Job.Default.WithWarmupCount(3).WithIterationCount(10).WithId("default");
        var config = ManualConfig.CreateEmpty()
            .AddJob(job.WithToolchain(InProcessEmitToolchain.Instance))
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumnProvider(DefaultConfig.Instance.GetColumnProviders().ToArray())
            .AddLogger(DefaultConfig.Instance.GetLoggers().ToArray())
            .AddExporter(MarkdownExporter.GitHub, JsonExporter.Brief)
            .WithArtifactsPath(Path.Combine(BenchPaths.Root, "bench", "results", "micro"))
            .WithOptions(ConfigOptions.DisableLogFile);
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(MicroBenchmarks).Assembly).Run(rest, config);
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}
