using System.CommandLine;
using System.Diagnostics;
using System.Runtime.InteropServices;
using EdgeAi.Interop.Native;
using Microsoft.ML.OnnxRuntime;

namespace EdgeAi.Worker.Cli;

/// <summary><c>edgeai version</c>: versions of EdgeAi and of every native component it loads, or why one is missing.</summary>
internal static class VersionCommand
{
    public static Command Create()
    {
        var command = new Command("version", "Print EdgeAi's version and the versions of ONNX Runtime, MQTTnet, libturbojpeg and ffmpeg.");
        command.SetAction(_ =>
        {
            var ok = true;
            Console.WriteLine($"edgeai           {typeof(VersionCommand).Assembly.GetName().Version}");
            Console.WriteLine($".NET             {RuntimeInformation.FrameworkDescription} ({RuntimeInformation.RuntimeIdentifier})");
            ok &= Report("onnxruntime", () =>
            {
                var providers = string.Join(",", OrtEnv.Instance().GetAvailableProviders());
                return $"{OrtEnv.Instance().GetVersionString()} (providers: {providers})";
            });
            ok &= Report("MQTTnet", () => typeof(MQTTnet.MqttClientFactory).Assembly.GetName().Version?.ToString() ?? "?");
            ok &= Report("libturbojpeg", () => { NativeLibraries.RequireTurboJpeg(); return "libturbojpeg.so.0 loaded"; });
            ok &= Report("ffmpeg", FfmpegVersion);
            return ok ? 0 : 1;
        });
        return command;
    }

    private static bool Report(string name, Func<string> probe)
    {
        try
        {
            Console.WriteLine($"{name,-16} {probe()}");
            return true;
        }
        catch (Exception ex)
        {
            Console.WriteLine($"{name,-16} MISSING: {ex.Message}");
            return false;
        }
    }

    private static string FfmpegVersion()
    {
        using var p = Process.Start(new ProcessStartInfo("ffmpeg", "-hide_banner -version") { RedirectStandardOutput = true })
            ?? throw new InvalidOperationException("ffmpeg not found: apt-get install ffmpeg");
        var first = p.StandardOutput.ReadLine() ?? "";
        p.WaitForExit();
        return first.Replace("ffmpeg version ", "");
    }
}
