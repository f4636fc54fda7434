using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using EdgeAi.Interop.Native;
using EdgeAi.Worker.Eval;
using EdgeAi.Worker.Inference;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Events;
using Spectre.Console;

namespace EdgeAi.Worker.Cli;

/// <summary>
/// <c>edgeai eval --clips DIR [--json FILE] [--plots DIR] [--model MANIFEST]</c>: runs the worker's pipeline over
/// ground-truth clips (scene generator output), matches the emitted episodes to the GT incidents and prints
/// per-scenario precision, recall and time-to-detect. Exit codes: 0 done, 2 bad input (clips, GT, model),
/// 3 a clip could not be fully analysed (the report is still written, with the error in it).
/// </summary>
internal static class EvalCommand
{
    public const int ExitInput = 2;
    public const int ExitIncomplete = 3;
    public const string DefaultManifest = "models/demo/edgeai-demo.manifest.json";

    public static Command Create()
    {
        var clips = new Option<string>("--clips") { Description = "Folder of clips: NAME.mp4 with NAME.gt.json (models/scenegen/render.py)", Required = true };
        var json = new Option<string?>("--json") { Description = "Write the report as JSON to this file" };
        var plots = new Option<string?>("--plots") { Description = "Write timeline plots (one SVG per clip + summary.svg) to this folder" };
        var model = new Option<string?>("--model") { Description = $"Detector manifest (default {DefaultManifest}, looked up from the current folder upwards)" };
        var parallel = new Option<int>("--parallel") { Description = "Clips analysed at once (cameras of one pipeline)", DefaultValueFactory = _ => new EvalOptions().Parallel };
        var tolerance = new Option<double>("--tolerance") { Description = "Slack in seconds on both ends of a GT incident when matching", DefaultValueFactory = _ => new EvalOptions().MatchToleranceS };
        var evidence = new Option<string?>("--evidence") { Description = "Keep the episodes' evidence JPEGs in this folder (default: not kept)" };
        var threads = new Option<int>("--threads") { Description = "ONNX Runtime intra-op threads", DefaultValueFactory = _ => new InferenceOptions().Threads };
        var verbose = new Option<bool>("--verbose") { Description = "Log the pipeline's information messages (stderr)" };
        var command = new Command("eval", "Run the pipeline over ground-truth clips; per-scenario precision, recall and time-to-detect.")
            { clips, json, plots, model, parallel, tolerance, evidence, threads, verbose };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(clips)!, parse.GetValue(json), parse.GetValue(plots), parse.GetValue(model),
            new EvalOptions { Parallel = parse.GetValue(parallel), MatchToleranceS = parse.GetValue(tolerance), EvidenceDirectory = parse.GetValue(evidence) },
            parse.GetValue(threads), parse.GetValue(verbose), ct));
        return command;
    }

    private static async Task<int> RunAsync(string clipsDir, string? jsonPath, string? plotsDir, string? manifestPath, EvalOptions options,
        int threads, bool verbose, CancellationToken ct)
    {
        using var serilog = new LoggerConfiguration().MinimumLevel.Is(verbose ? LogEventLevel.Information : LogEventLevel.Warning)
            .WriteTo.Console(outputTemplate: "{Timestamp:HH:mm:ss} {Level:u3} {SourceContext}: {Message:lj}{NewLine}{Exception}", standardErrorFromLevel: LogEventLevel.Verbose)
            .CreateLogger();
        using var loggers = LoggerFactory.Create(b => b.AddSerilog(serilog));
        if (Console.IsOutputRedirected)
        {
            // A log file or a pipe: no colour codes, and a table as wide as it needs rather than 80 columns.
            AnsiConsole.Profile.Capabilities.Ansi = false;
            AnsiConsole.Profile.Width = 132;
        }

        IReadOnlyList<EvalClip> clips;
        ModelManifest manifest;
        try
        {
            if (options.Parallel < 1) throw new EvalInputException($"--parallel: must be at least 1 (was {options.Parallel})");
            if (!(options.MatchToleranceS >= 0)) throw new EvalInputException($"--tolerance: must not be negative (was {options.MatchToleranceS})");
            NativeLibraries.RequireOpenCv();
            clips = GroundTruthLoader.Discover(clipsDir, out var skipped);
            foreach (var s in skipped) Console.Error.WriteLine($"edgeai eval: skipping {s}: no ground truth beside it");
            foreach (var c in clips) ClipScenarioConfig.For(c);
            manifest = ModelManifestLoader.Load(manifestPath ?? FindDefaultManifest());
        }
        catch (Exception ex) when (ex is EvalInputException or ModelManifestException or NativeLibraryMissingException)
        {
            Console.Error.WriteLine($"edgeai eval: {ex.Message}");
            return ExitInput;
        }

        using var detector = new OnnxDetector(manifest, new InferenceOptions { Threads = threads }, loggers.CreateLogger<OnnxDetector>());
        var runner = new EvalRunner(detector, options, loggers);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var runs = await RunWithProgressAsync(runner, clips, ct).ConfigureAwait(false);
        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);

        var report = EvalScoring.Score(runs, new EvalModelInfo(manifest.Name, manifest.Version, manifest.Sha256), options);
        PrintTable(report, elapsed, runs.Sum(r => r.FramesAnalysed));
        if (jsonPath is not null)
        {
            WriteAtomically(jsonPath, JsonSerializer.Serialize(report, EvalReportJsonContext.Default.EvalReport) + "\n");
            Console.WriteLine($"report: {jsonPath}");
        }
        if (plotsDir is not null)
        {
            Directory.CreateDirectory(plotsDir);
            foreach (var clip in report.Clips) WriteAtomically(Path.Combine(plotsDir, clip.Name + ".svg"), TimelineSvg.Clip(clip));
            WriteAtomically(Path.Combine(plotsDir, "summary.svg"), TimelineSvg.Summary(report));
            Console.WriteLine($"plots: {plotsDir}/summary.svg and {report.Clips.Count} clip timelines");
        }
        var failed = report.Clips.Where(c => c.Error is not null).ToList();
        foreach (var c in failed) Console.Error.WriteLine($"edgeai eval: {c.Name}: {c.Error}");
        return failed.Count > 0 ? ExitIncomplete : 0;
    }

    /// <summary>A live bar per clip on a terminal; one line per finished clip otherwise (CI logs, pipes).</summary>
    private static async Task<IReadOnlyList<ClipRun>> RunWithProgressAsync(EvalRunner runner, IReadOnlyList<EvalClip> clips, CancellationToken ct)
    {
        if (AnsiConsole.Profile.Capabilities.Interactive)
        {
            return await AnsiConsole.Progress().AutoClear(false).HideCompleted(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .StartAsync(async ctx =>
                {
                    var tasks = clips.ToDictionary(c => c.Name, c => ctx.AddTask(c.Name, autoStart: false, maxValue: EvalRunner.ExpectedFrames(c)));
                    return await runner.RunAsync(clips, (name, done, expected) =>
                    {
                        var t = tasks[name];
                        if (!t.IsStarted) t.StartTask();
                        t.Value = Math.Min(done, expected);
                    }, ct).ConfigureAwait(false);
                }).ConfigureAwait(false);
        }
        var reported = new HashSet<string>(StringComparer.Ordinal);
        var n = 0;
        Console.WriteLine($"edgeai eval: {clips.Count} clips");
        var runs = await runner.RunAsync(clips, (name, done, expected) =>
        {
            if (done >= expected && reported.Add(name)) Console.WriteLine($"  [{++n}/{clips.Count}] {name}: {done} frames analysed");
        }, ct).ConfigureAwait(false);
        return runs;
    }

    private static void PrintTable(EvalReport report, TimeSpan elapsed, long frames)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .Title(Markup.Escape($"edgeai eval: {report.Model.Name} {report.Model.Version}, {report.Clips.Count} clips"))
            .AddColumn("scenario").AddColumn(new TableColumn("GT").RightAligned()).AddColumn(new TableColumn("TP").RightAligned())
            .AddColumn(new TableColumn("FP").RightAligned()).AddColumn(new TableColumn("FN").RightAligned()).AddColumn(new TableColumn("dup").RightAligned())
            .AddColumn(new TableColumn("precision").RightAligned()).AddColumn(new TableColumn("recall").RightAligned())
            .AddColumn(new TableColumn("ttd mean s").RightAligned()).AddColumn(new TableColumn("ttd max s").RightAligned());
        foreach (var m in report.Scenarios.Append(report.Overall))
        {
            table.AddRow(m.Scenario == "all" ? "[bold]all[/]" : m.Scenario, I(m.GtIncidents), I(m.TruePositives), I(m.FalsePositives), I(m.FalseNegatives), I(m.Duplicates),
                F(m.Precision, "0.00"), F(m.Recall, "0.00"), F(m.MeanTimeToDetectS, "0.0"), F(m.MaxTimeToDetectS, "0.0"));
        }
        AnsiConsole.Write(table);
        var misses = report.Clips.SelectMany(c => c.Incidents.Where(i => !i.Detected).Select(i => $"missed {c.Name}: {i.Scenario}/{i.Zone} {i.StartS:0.0}-{i.EndS:0.0} s")
            .Concat(c.Episodes.Where(e => e.Outcome != "tp").Select(e => $"{(e.Outcome == "fp" ? "false positive" : "duplicate")} {c.Name}: {e.Scenario}/{e.Zone} {e.StartS:0.0}-{e.EndS:0.0} s")));
        foreach (var line in misses) Console.WriteLine("  " + line);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{frames} frames analysed in {elapsed.TotalSeconds:0.0} s ({frames / Math.Max(elapsed.TotalSeconds, 1e-3):0} frames/s)"));
    }

    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);

    private static string F(double? v, string format) => v is { } d ? d.ToString(format, CultureInfo.InvariantCulture) : "–";

    /// <summary><see cref="DefaultManifest"/> in the current folder or any folder above it (a repo checkout), else next to the binary's repo.</summary>
    private static string FindDefaultManifest()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, DefaultManifest);
                if (File.Exists(candidate)) return candidate;
            }
        throw new EvalInputException($"{DefaultManifest} not found in or above {Directory.GetCurrentDirectory()}; pass --model MANIFEST");
    }

    private static void WriteAtomically(string path, string text)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var tmp = full + ".tmp";
        File.WriteAllText(tmp, text);
        File.Move(tmp, full, overwrite: true);
    }
}
