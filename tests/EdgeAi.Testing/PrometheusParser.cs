using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace EdgeAi.Testing;

/// <summary>
/// Parses Prometheus text exposition with the reference Python client's parser (Debian python3-prometheus-client,
/// <c>prometheus_client.parser.text_string_to_metric_families</c>), so a test checks our output against an
/// independent implementation of the format rather than against our own reading of it. Throws when it does not parse.
/// </summary>
public static class PrometheusParser
{
    private const string Script = """
        import json, math, sys
        from prometheus_client.parser import text_string_to_metric_families
        out = {"types": {}, "samples": []}
        for family in text_string_to_metric_families(sys.stdin.read()):
            out["types"][family.name] = family.type
            for s in family.samples:
                v = s.value
                out["samples"].append({"name": s.name, "labels": s.labels, "value": "NaN" if math.isnan(v) else ("+Inf" if v == math.inf else ("-Inf" if v == -math.inf else repr(float(v))))})
        print(json.dumps(out))
        """;

    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    public sealed record Result(IReadOnlyDictionary<string, string> Types, IReadOnlyList<Sample> Samples)
    {
        /// <summary>The value of the one sample with this name and exactly these labels; throws naming what exists when there is none.</summary>
        public double Value(string name, params (string Name, string Value)[] labels)
        {
            var match = Samples.Where(s => s.Name == name && s.Labels.Count == labels.Length && labels.All(l => s.Labels.TryGetValue(l.Name, out var v) && v == l.Value)).ToList();
            if (match.Count == 1) return match[0].Value;
            var have = string.Join("\n", Samples.Where(s => s.Name == name).Select(s => $"{s.Name}{{{string.Join(",", s.Labels.Select(kv => $"{kv.Key}={kv.Value}"))}}} {s.Value}"));
            throw new InvalidOperationException($"{match.Count} samples {name} with {string.Join(",", labels)}; have:\n{have}");
        }
    }

    public static Result Parse(string exposition)
    {
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(Script);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.StandardInput.Write(exposition);
        p.StandardInput.Close();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new FormatException($"prometheus_client could not parse the exposition: {stderr.Result}\n---\n{exposition}");
        using var doc = JsonDocument.Parse(stdout.Result);
        var types = doc.RootElement.GetProperty("types").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
        var samples = doc.RootElement.GetProperty("samples").EnumerateArray().Select(s => new Sample(
            s.GetProperty("name").GetString()!,
            s.GetProperty("labels").EnumerateObject().ToDictionary(l => l.Name, l => l.Value.GetString()!),
            s.GetProperty("value").GetString() switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                "NaN" => double.NaN,
                var v => double.Parse(v!, CultureInfo.InvariantCulture),
            })).ToList();
        return new Result(types, samples);
    }
}
