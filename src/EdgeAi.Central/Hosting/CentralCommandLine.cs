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

    public static async Task<int> RunAsync(string[] args)
    {
        var list = args.ToList();
        var command = list.Count > 0 && !list[0].StartsWith('-') ? list[0] : "run";
        if (list.Count > 0 && !list[0].StartsWith('-')) list.RemoveAt(0);
        try
        {
            switch (command)
            {
                case "run":
                    return await RunCentralAsync(Option(list, "--config") ?? Environment.GetEnvironmentVariable("EDGEAI_CENTRAL_CONFIG") ?? "/etc/edgeai/central.json").ConfigureAwait(false);
                case "config" when list.Count == 2 && list[0] == "validate":
                    CentralConfigLoader.Load(list[1]);
                    Console.WriteLine($"{list[1]}: valid");
                    return 0;
                case "test-platform":
                    return await RunTestPlatformAsync(list).ConfigureAwait(false);
                case "export-feedback":
                    return await ExportFeedbackAsync(list).ConfigureAwait(false);
                case "help" or "--help" or "-h":
                    Console.WriteLine(Usage);
                    return 0;
                default:
                    Console.Error.WriteLine(Usage);
                    return 2;
            }
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

    private static async Task<int> ExportFeedbackAsync(List<string> args)
    {
        var outDir = Option(args, "--out") ?? throw new ArgumentException("export-feedback needs --out DIR");
        var since = Option(args, "--since") is { } s
            ? DateTimeOffset.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var t) ? t : throw new ArgumentException($"--since: not a date/time: {s}")
            : (DateTimeOffset?)null;
        var options = CentralConfigLoader.Load(Option(args, "--config") ?? Environment.GetEnvironmentVariable("EDGEAI_CENTRAL_CONFIG") ?? "/etc/edgeai/central.json");
        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true));
        await using var store = new Storage.CentralStore(Storage.CentralStore.CreateDialect(options.Database), loggers.CreateLogger<Storage.CentralStore>(), TimeProvider.System);
        await store.MigrateAsync(CancellationToken.None).ConfigureAwait(false);
        var summary = await new Cases.FeedbackExporter(store).ExportAsync(outDir, since, CancellationToken.None).ConfigureAwait(false);
        Console.WriteLine($"{summary.Cases} reviewed cases ({summary.Confirmed} confirmed, {summary.Dismissed} dismissed): {summary.Images} images written to {outDir}, {summary.Missing} no longer stored");
        return 0;
    }

    private static async Task<int> RunTestPlatformAsync(List<string> args)
    {
        // Same rules as Central: NAME or NAME_FILE (a file holding the secret), never a command-line argument.
        var env = SecretFiles.WithFiles(Environment.GetEnvironmentVariable);
        var secret = env(SecretNames.PlatformSecret);
        var callback = Option(args, "--callback");
        var auto = Option(args, "--auto-progress-s");
        var options = new TestPlatformOptions
        {
            Listen = Option(args, "--listen") ?? "http://127.0.0.1:9000",
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

    private static string? Option(List<string> args, string name)
    {
        var i = args.IndexOf(name);
        if (i < 0) return null;
        if (i + 1 >= args.Count) throw new ArgumentException($"{name} needs a value");
        return args[i + 1];
    }
}
