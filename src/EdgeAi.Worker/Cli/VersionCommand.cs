using System.CommandLine;
using System.Diagnostics;
using System.Runtime.InteropServices;
using EdgeAi.Interop.Native;
using EdgeAi.Worker.Inference;
using Microsoft.ML.OnnxRuntime;

namespace EdgeAi.Worker.Cli;

/// <summary><c>edgeai version</c>: versions of EdgeAi and of every native component it loads, or why one is missing.</summary>
internal static class VersionCommand
{
    public static Command Create()
    {
        var command = new Command("version", "Print EdgeAi's version and the versions of ONNX Runtime (and the providers that load), MQTTnet, OpenCV and ffmpeg.");
        command.SetAction(_ =>
        {
            var ok = true;
            Console.WriteLine($"edgeai           {typeof(VersionCommand).Assembly.GetName().Version}");
            Console.WriteLine($".NET             {RuntimeInformation.FrameworkDescription} ({RuntimeInformation.RuntimeIdentifier})");
            ok &= Report("onnxruntime", OnnxRuntimeVersion);
            ok &= Report("MQTTnet", () => typeof(MQTTnet.MqttClientFactory).Assembly.GetName().Version?.ToString() ?? "?");
            ok &= Report("opencv", () => $"{NativeLibraries.RequireOpenCv()} (OpenCvSharp4)");
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

    /// <summary>
    /// The ONNX Runtime version, then one line per provider it lists with whether a session with it really loads and runs
    /// (the GPU build lists CUDA and TensorRT even where their libraries or the GPU are missing).
    /// </summary>
    private static string OnnxRuntimeVersion()
    {
        var lines = new List<string> { OrtEnv.Instance().GetVersionString() };
        OrtEnv.Instance().EnvLogLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL;   // each failure's reason is printed below instead
        foreach (var p in ExecutionProviders.Probe())
        {
            var verdict = p.Loads switch
            {
                true => "loads",
                false => $"does not load: {p.Detail}",
                null => "listed (not selectable in EdgeAi)",
            };
            lines.Add($"  provider       {p.OrtName}: {verdict}");
        }
        return string.Join(Environment.NewLine, lines);
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
