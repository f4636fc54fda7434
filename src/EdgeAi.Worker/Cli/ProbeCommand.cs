using System.CommandLine;
using System.Text.Json;
using EdgeAi.Worker.Ingest;

namespace EdgeAi.Worker.Cli;

/// <summary><c>edgeai probe &lt;url&gt; [--json]</c>: can this box read this camera, and what does it send?</summary>
internal static class ProbeCommand
{
    public static Command Create()
    {
        var url = new Argument<string>("url") { Description = "Camera URL, e.g. rtsp://user:pass@10.0.0.5:554/stream1 (credentials are never printed)" };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON" };
        var snapshot = new Option<string?>("--snapshot") { Description = "Where to save one snapshot JPEG (default probe-snapshot.jpg; 'none' to skip)" };
        var timeout = new Option<double>("--timeout") { Description = "Socket timeout in seconds", DefaultValueFactory = _ => 5 };
        var command = new Command("probe", "Connect to a camera; print codec, resolution, fps and key-frame interval (reading up to 40 s when key frames are sparse, with advice for long-GOP cameras); save a snapshot JPEG.") { url, json, snapshot, timeout };
        command.SetAction(async (parse, ct) =>
        {
            var target = parse.GetValue(snapshot) ?? "probe-snapshot.jpg";
            try
            {
                var r = await CameraProbe.RunAsync(parse.GetValue(url)!, target == "none" ? null : Path.GetFullPath(target),
                    TimeSpan.FromSeconds(parse.GetValue(timeout)), ct);
                if (parse.GetValue(json))
                {
                    Console.WriteLine(JsonSerializer.Serialize(r, CliJsonContext.Default.ProbeResult));
                }
                else
                {
                    Console.WriteLine($"url        {r.Url}");
                    Console.WriteLine($"codec      {r.Codec}");
                    Console.WriteLine($"resolution {r.Width}x{r.Height}");
                    Console.WriteLine($"fps        {r.Fps}");
                    Console.WriteLine($"key frames every {(r.KeyFrameIntervalSeconds is { } k ? $"{k} s" : $"? (fewer than two in {r.KeyFrameIntervalAtLeastSeconds} s)")}");
                    if (r.Advice is not null) Console.WriteLine($"advice     {r.Advice}");
                    if (r.SnapshotPath is not null) Console.WriteLine($"snapshot   {r.SnapshotPath} ({r.SnapshotBytes} bytes)");
                }
                return 0;
            }
            catch (ProbeException ex)
            {
                if (parse.GetValue(json)) Console.WriteLine(JsonSerializer.Serialize(new ProbeError(ex.Message), CliJsonContext.Default.ProbeError));
                else Console.Error.WriteLine($"probe failed: {ex.Message}");
                return 2;
            }
        });
        return command;
    }
}

internal sealed record ProbeError(string Error);

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[System.Text.Json.Serialization.JsonSerializable(typeof(ProbeResult))]
[System.Text.Json.Serialization.JsonSerializable(typeof(ProbeError))]
internal sealed partial class CliJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
