using System.CommandLine;
using EdgeAi.Central.Configuration;
using EdgeAi.Central.TestPlatform;
using EdgeAi.Configuration;
using Microsoft.Extensions.Logging;

namespace EdgeAi.Central.Hosting;

/// <summary>
/// <c>edgeai-central [run] [--config FILE]</c> — run Central (config file default: $EDGEAI_CENTRAL_CONFIG, else /etc/edgeai/central.json);
/// <c>edgeai-central config validate FILE</c> — check a config file and its secrets, print every error;
/// <c>edgeai-central export-feedback --out DIR</c> — reviewed evidence with labels and boxes as a retraining dataset;
/// <c>edgeai-central test-platform --listen URL [--callback URL] [--auto-progress-s N]</c> — the stand-in governance platform (tests, demo).
/// Exit codes: 0 ok, 1 failure at run time, 2 bad usage or configuration.
/// </summary>
internal static class CentralCommandLine
{
    private const string Usage = """
        usage:
          edgeai-central [run] [--config FILE]        run Central (default FILE: $EDGEAI_CENTRAL_CONFIG or /etc/edgeai/central.json)
          edgeai-central config validate FILE         validate a config file and the secrets in the environment
          edgeai-central export-feedback --out DIR [--config FILE] [--since ISO-8601]
                                                      write reviewed (confirmed and dismissed) evidence with labels and boxes
          edgeai-central test-platform [--listen URL] [--callback URL] [--auto-progress-s N]
                                                      a stand-in governance platform for tests and the demo
        secrets (environment): EDGEAI_CENTRAL_API_TOKEN, EDGEAI_CENTRAL_MQTT_PASSWORD, EDGEAI_CENTRAL_DATABASE,
          EDGEAI_CENTRAL_PLATFORM_SECRET, EDGEAI_CENTRAL_CALLBACK_SECRET, EDGEAI_CENTRAL_OPEN311_API_KEY
        """;

    private const string DefaultConfig = "/etc/edgeai/central.json";

    public static async Task<int> RunAsync(string[] args)
    {
        var parse = Build().Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors) Console.Error.WriteLine($"edgeai-central: {e.Message}");
            Console.Error.WriteLine(Usage);
            return 2;
        }
        // The host handles SIGTERM/SIGINT itself (a graceful stop may take its 20 s shutdown timeout), so the command line does not.
        return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }).ConfigureAwait(false);
    }

    /// <summary>The commands; without one, the options of <c>run</c> run Central.</summary>
    public static RootCommand Build()
    {
        var root = new RootCommand("EdgeAi Central: consumes the gateways' events, correlates them into incidents and files cases.");
        var rootConfig = ConfigOption();
        root.Options.Add(rootConfig);
        root.SetAction((p, _) => Guarded(() => RunCentralAsync(ConfigFile(p.GetValue(rootConfig)))));

        var runConfig = ConfigOption();
        var run = new Command("run", "Run Central.") { runConfig };
        run.SetAction((p, _) => Guarded(() => RunCentralAsync(ConfigFile(p.GetValue(runConfig)))));

        var file = new Argument<string>("FILE") { Description = "Central config file (JSON)" };
        var validate = new Command("validate", "Validate a config file and the secrets in the environment.") { file };
        validate.SetAction(p => Guarded(() =>
        {
            CentralConfigLoader.Load(p.GetValue(file)!);
            Console.WriteLine($"{p.GetValue(file)}: valid");
            return Task.FromResult(0);
        }).GetAwaiter().GetResult());
        var config = new Command("config", "Config file tools.") { validate };

        var outDir = new Option<string>("--out") { Description = "Folder for feedback.jsonl and images/", Required = true };
        var since = new Option<string>("--since") { Description = "Only cases reviewed since (ISO-8601)" };
        var exportConfig = ConfigOption();
        var export = new Command("export-feedback", "Write reviewed (confirmed and dismissed) evidence with labels and boxes.") { outDir, since, exportConfig };
        export.SetAction((p, _) => Guarded(() => ExportFeedbackAsync(p.GetValue(outDir)!, p.GetValue(since), ConfigFile(p.GetValue(exportConfig)))));

        var listen = new Option<string>("--listen") { Description = "Listen URL", DefaultValueFactory = _ => "http://127.0.0.1:9000" };
        var callback = new Option<string>("--callback") { Description = "Central's platform callback URL" };
        var autoProgress = new Option<string>("--auto-progress-s") { Description = "Move each case on by itself every N seconds" };
        var platform = new Command("test-platform", "A stand-in governance platform for tests and the demo.") { listen, callback, autoProgress };
        platform.SetAction((p, _) => Guarded(() => RunTestPlatformAsync(p.GetValue(listen)!, p.GetValue(callback), p.GetValue(autoProgress))));

        var help = new Command("help", "Show the usage.");
        help.SetAction(_ => Console.WriteLine(Usage));

        root.Subcommands.Add(run);
        root.Subcommands.Add(config);
        root.Subcommands.Add(export);
        root.Subcommands.Add(platform);
        root.Subcommands.Add(help);
        return root;
    }

    private static Option<string> ConfigOption() =>
        new("--config") { Description = $"Central config file (default: $EDGEAI_CENTRAL_CONFIG, else {DefaultConfig})" };

    private static string ConfigFile(string? option) => option ?? Environment.GetEnvironmentVariable("EDGEAI_CENTRAL_CONFIG") ?? DefaultConfig;

    /// <summary>Bad configuration or arguments found while running a command: the message and exit code 2.</summary>
    private static async Task<int> Guarded(Func<Task<int>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (ConfigException ex)
        {
            foreach (var e in ex.Errors) Console.Error.WriteLine(e);
            Console.Error.WriteLine($"edgeai-central: {ex.Errors.Count} config error(s); not starting");
            return 2;
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine($"edgeai-central: {ex.Message}\n{Usage}");
            return 2;
        }
    }

    private static async Task<int> RunCentralAsync(string configFile)
    {
        var options = CentralConfigLoader.Load(configFile);
        await using var app = CentralApp.Build(options);
        await app.RunAsync().ConfigureAwait(false);
        return 0;
    }

    private static async Task<int> ExportFeedbackAsync(string outDir, string? sinceText, string configFile)
    {
        var since = sinceText is { } s
            ? DateTimeOffset.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var t) ? t : throw new ArgumentException($"--since: not a date/time: {s}")
            : (DateTimeOffset?)null;
        var options = CentralConfigLoader.Load(configFile);
        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true));
        await using var store = new Storage.CentralStore(Storage.CentralStore.CreateDialect(options.Database), loggers.CreateLogger<Storage.CentralStore>(), TimeProvider.System);
        await store.MigrateAsync(CancellationToken.None).ConfigureAwait(false);
        var summary = await new Cases.FeedbackExporter(store).ExportAsync(outDir, since, CancellationToken.None).ConfigureAwait(false);
        Console.WriteLine($"{summary.Cases} reviewed cases ({summary.Confirmed} confirmed, {summary.Dismissed} dismissed): {summary.Images} images written to {outDir}, {summary.Missing} no longer stored");
        return 0;
    }

    private static async Task<int> RunTestPlatformAsync(string listen, string? callback, string? auto)
    {
        // Same rules as Central: NAME or NAME_FILE (a file holding the secret), never a command-line argument.
        var env = SecretFiles.WithFiles(Environment.GetEnvironmentVariable);
        var secret = env(SecretNames.PlatformSecret);
        var options = new TestPlatformOptions
        {
            Listen = listen,
            Secret = string.IsNullOrEmpty(secret) ? null : secret,
            CallbackSecret = env(SecretNames.CallbackSecret) ?? secret,
            CallbackUrl = callback is null ? null : new Uri(callback),
            AutoProgress = auto is null ? null : TimeSpan.FromSeconds(double.Parse(auto, System.Globalization.CultureInfo.InvariantCulture)),
        };
        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true));
        await using var server = await TestPlatformServer.StartNewAsync(options, new ForwardingLoggerProvider(loggers)).ConfigureAwait(false);
        Console.WriteLine($"READY {server.Url}");
        await server.WaitForShutdownAsync().ConfigureAwait(false);
        return 0;
    }
}
