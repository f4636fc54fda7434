using System.Globalization;
using System.Text;

namespace EdgeAi.Observability.Metrics;

/// <summary>
/// The Prometheus text exposition format 0.0.4: names, label escaping, numbers, and one metric family per call.
/// Spec: https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format
/// </summary>
internal static class PrometheusText
{
    /// <summary>A valid metric name ([a-zA-Z_:][a-zA-Z0-9_:]*): anything else (dots, dashes) becomes '_'.</summary>
    public static string MetricName(string name) => Sanitize(name, allowColon: true);

    /// <summary>A valid label name ([a-zA-Z_][a-zA-Z0-9_]*).</summary>
    public static string LabelName(string name) => Sanitize(name, allowColon: false);

    private static string Sanitize(string name, bool allowColon)
    {
        if (name.Length == 0) return "_";
        var sb = new StringBuilder(name.Length + 1);
        if (char.IsAsciiDigit(name[0])) sb.Append('_');
        foreach (var c in name) sb.Append(char.IsAsciiLetterOrDigit(c) || c == '_' || (allowColon && c == ':') ? c : '_');
        return sb.ToString();
    }

    /// <summary>Label value escaping: backslash, double quote and line feed.</summary>
    public static string EscapeLabelValue(string value) =>
        value.Replace("\\", @"\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", @"\n", StringComparison.Ordinal);

    /// <summary>HELP escaping: backslash and line feed.</summary>
    public static string EscapeHelp(string help) =>
        help.Replace("\\", @"\\", StringComparison.Ordinal).Replace("\n", @"\n", StringComparison.Ordinal);

    /// <summary>Renders tags as <c>a="1",b="2"</c>, sorted by name so the same set always renders the same.</summary>
    public static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0) return "";
        var pairs = new List<(string Name, string Value)>(tags.Length);
        foreach (var t in tags)
            pairs.Add((LabelName(t.Key), Convert.ToString(t.Value, CultureInfo.InvariantCulture) ?? ""));
        pairs.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return string.Join(",", pairs.Select(p => $"{p.Name}=\"{EscapeLabelValue(p.Value)}\""));
    }

    public static string Number(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    /// <summary>HELP, TYPE and every sample of one family (instruments sharing a name); nothing when it has no series.</summary>
    public static void WriteFamily(StringBuilder text, IReadOnlyList<InstrumentState> family)
    {
        var first = family[0];
        var series = family.SelectMany(s => s.Snapshot().Select(x => (State: s, x.Labels, x.Series)))
            .OrderBy(x => x.Labels, StringComparer.Ordinal).ToList();
        if (series.Count == 0) return;
        if (first.Help.Length > 0) text.Append("# HELP ").Append(first.Name).Append(' ').Append(EscapeHelp(first.Help)).Append('\n');
        text.Append("# TYPE ").Append(first.Name).Append(' ').Append(first.Kind.ToString().ToLowerInvariant()).Append('\n');
        foreach (var (state, labels, s) in series)
        {
            if (state.Kind != MetricKind.Histogram)
            {
                Sample(text, first.Name, labels, s.Value);
                continue;
            }
            long cumulative = 0;
            for (var i = 0; i < state.Buckets.Length; i++)
            {
                cumulative += s.BucketCounts[i];
                Sample(text, first.Name + "_bucket", With(labels, $"le=\"{Number(state.Buckets[i])}\""), cumulative);
            }
            Sample(text, first.Name + "_bucket", With(labels, "le=\"+Inf\""), s.Count);
            Sample(text, first.Name + "_sum", labels, s.Sum);
            Sample(text, first.Name + "_count", labels, s.Count);
        }
    }

    private static string With(string labels, string extra) => labels.Length == 0 ? extra : labels + "," + extra;

    private static void Sample(StringBuilder text, string name, string labels, double value)
    {
        text.Append(name);
        if (labels.Length > 0) text.Append('{').Append(labels).Append('}');
        text.Append(' ').Append(Number(value)).Append('\n');
    }
}
