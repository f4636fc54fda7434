using System.Net.Http.Headers;
using System.Text.Json;
using EdgeAi.Central.Configuration;
using EdgeAi.Testing;

namespace EdgeAi.Central.Tests.Infrastructure;

/// <summary>
/// Central as a child process (<c>dotnet edgeai-central.dll run --config FILE</c> from the test output folder), so a
/// test can SIGKILL it. Secrets reach it as NAME_FILE variables pointing at files, never on the command line.
/// </summary>
internal sealed class CentralProcess : IAsyncDisposable
{
    private readonly ServerProcess _process;

    private CentralProcess(ServerProcess process, string url, string token)
    {
        _process = process;
        Url = url;
        Api = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
        Api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    public string Url { get; }

    public HttpClient Api { get; }

    public string Output => _process.Output;

    public bool HasExited => _process.HasExited;

    /// <summary>The process id (the env wrapper execs dotnet, so this is Central itself).</summary>
    public int Pid => _process.Pid;

    /// <summary>Resident set size now, from /proc (VmRSS), in bytes.</summary>
    public long RssBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
        }
        return 0;
    }

    /// <param name="environment">Extra environment variables that are not secrets (e.g. NOTIFY_SOCKET).</param>
    public static async Task<CentralProcess> StartAsync(string dir, string name, object config, string url, IReadOnlyDictionary<string, string> secrets,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var configFile = Path.Combine(dir, name + ".json");
        await File.WriteAllTextAsync(configFile, JsonSerializer.Serialize(config));
        var args = new List<string>();
        foreach (var (key, value) in secrets)
        {
            var file = Path.Combine(dir, $"{name}.{key}");
            await File.WriteAllTextAsync(file, value);
            args.Add($"{key}_FILE={file}");
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) args.Add($"{key}={value}");
        args.AddRange(["dotnet", Path.Combine(AppContext.BaseDirectory, "edgeai-central.dll"), "run", "--config", configFile]);
        var process = ServerProcess.Start("edgeai-central " + name, "/usr/bin/env", args);
        var central = new CentralProcess(process, url, secrets[SecretNames.ApiToken]);
        try
        {
            await Wait.UntilAsync(async () =>
            {
                if (process.HasExited) throw new InvalidOperationException($"Central {name} exited:\n{process.Output}");
                try { return (await central.Api.GetAsync("/readyz")).IsSuccessStatusCode; }
                catch (HttpRequestException) { return false; }
            }, $"Central {name} ready", TimeSpan.FromSeconds(90), () => Task.FromResult(process.Output));
            return central;
        }
        catch
        {
            await central.DisposeAsync();   // a failed start leaves no process behind
            throw;
        }
    }

    /// <summary>SIGTERM and wait: a clean shutdown (its log lines included).</summary>
    public Task StopAsync() => _process.StopAsync(TimeSpan.FromSeconds(30));

    /// <summary>SIGKILL: a crash, no shutdown code runs.</summary>
    public void Kill() => _process.Kill();

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        await _process.DisposeAsync();
    }
}
