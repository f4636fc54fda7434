using System.Globalization;
using System.Security;
using System.Text;

namespace EdgeAi.Worker.Eval;

/// <summary>
/// Timeline plots as SVG (plain text, viewable in any browser, diffable, no plotting library needed): per clip one
/// lane per (scenario, zone) with the GT incidents above and the worker's episodes below on the clip's time axis;
/// a summary with one row per clip and the per-scenario scores. Episode colours: true positive green, duplicate
/// orange, false positive red; a hatched end marks an episode still open when the clip ended.
/// </summary>
internal static class TimelineSvg
{
    private const int Width = 960;
    private const int Left = 200;
    private const int Right = 20;
    private const int PlotWidth = Width - Left - Right;
    private const string GtColor = "#6b7280";
    private const string Font = "font-family=\"DejaVu Sans,Arial,sans-serif\"";

    public static string Color(string outcome) => outcome switch
    {
        "tp" => "#16a34a",
        "duplicate" => "#f59e0b",
        _ => "#dc2626",
    };

    /// <summary>One clip: lanes of (scenario, zone), GT bar row over episode bar row.</summary>
    public static string Clip(ClipReport clip)
    {
        var lanes = clip.Incidents.Select(i => (i.Scenario, i.Zone)).Concat(clip.Episodes.Select(e => (e.Scenario, e.Zone)))
            .Distinct().OrderBy(l => l.Scenario, StringComparer.Ordinal).ThenBy(l => l.Zone, StringComparer.Ordinal).ToList();
        const int top = 58, laneHeight = 46;
        var height = top + Math.Max(1, lanes.Count) * laneHeight + 62;
        var svg = Begin(height);
        var tp = clip.Episodes.Count(e => e.Outcome == "tp");
        var fp = clip.Episodes.Count(e => e.Outcome == "fp");
        var dup = clip.Episodes.Count(e => e.Outcome == "duplicate");
        Text(svg, 10, 20, $"{clip.Name} ({clip.Scenario}, {clip.Variant ?? "?"}) — clock {clip.ClockStart}", 14, bold: true);
        Text(svg, 10, 40, $"GT incidents {clip.Incidents.Count}, detected {clip.Incidents.Count(i => i.Detected)}; episodes: {tp} TP, {dup} duplicate, {fp} FP"
            + $"; {clip.FramesAnalysed}/{clip.ExpectedFrames} frames analysed" + (clip.Error is null ? "" : " — ERROR: " + clip.Error), 12);
        double scale = PlotWidth / Math.Max(1, clip.DurationS);
        if (lanes.Count == 0) Text(svg, Left, top + 26, "no incident in the ground truth, no episode emitted", 12, color: "#374151");
        for (var k = 0; k < lanes.Count; k++)
        {
            var (scenario, zone) = lanes[k];
            var y = top + k * laneHeight;
            if (k % 2 == 0) Rect(svg, 0, y, Width, laneHeight, "#f3f4f6");
            Text(svg, 10, y + 18, $"{scenario} / {zone}", 12);
            Text(svg, Left - 52, y + 17, "GT", 10, color: "#374151");
            Text(svg, Left - 52, y + 37, "worker", 10, color: "#374151");
            foreach (var i in clip.Incidents.Where(i => i.Scenario == scenario && i.Zone == zone))
                Bar(svg, i.StartS, i.EndS, y + 6, scale, GtColor, false, $"GT {i.StartS:0.0}-{i.EndS:0.0} s {i.Note}" + (i.Detected ? "" : " (missed)"), stroke: !i.Detected);
            foreach (var e in clip.Episodes.Where(e => e.Scenario == scenario && e.Zone == zone))
                Bar(svg, e.StartS, e.EndS, y + 26, scale, Color(e.Outcome), e.OpenAtEnd, $"{e.Outcome} {e.StartS:0.0}-{e.EndS:0.0} s");
        }
        Axis(svg, top + Math.Max(1, lanes.Count) * laneHeight + 4, clip.DurationS, scale);
        Legend(svg, height - 14);
        return End(svg);
    }

    /// <summary>All clips on one page (one row each, GT over episodes, common time scale) under the per-scenario scores.</summary>
    public static string Summary(EvalReport report)
    {
        const int rowHeight = 26;
        var top = 40 + (report.Scenarios.Count + 2) * 16 + 16;
        var height = top + report.Clips.Count * rowHeight + 62;
        var svg = Begin(height);
        Text(svg, 10, 20, $"edgeai eval — {report.Model.Name} {report.Model.Version}, {report.Clips.Count} clips, decode {report.Settings.Decode}", 14, bold: true);
        var y = 44;
        Text(svg, 10, y, "scenario          GT   TP   FP   FN  dup  precision  recall  ttd mean/max s", 11, mono: true);
        foreach (var m in report.Scenarios.Append(report.Overall))
        {
            y += 16;
            Text(svg, 10, y, string.Create(CultureInfo.InvariantCulture,
                $"{m.Scenario,-16} {m.GtIncidents,3}  {m.TruePositives,3}  {m.FalsePositives,3}  {m.FalseNegatives,3}  {m.Duplicates,3}  {F(m.Precision),9}  {F(m.Recall),6}  {F(m.MeanTimeToDetectS, "0.0")}/{F(m.MaxTimeToDetectS, "0.0")}"), 11, mono: true);
        }
        var longest = report.Clips.Count == 0 ? 60 : report.Clips.Max(c => c.DurationS);
        double scale = PlotWidth / Math.Max(1, longest);
        for (var k = 0; k < report.Clips.Count; k++)
        {
            var c = report.Clips[k];
            var ry = top + k * rowHeight;
            if (k % 2 == 0) Rect(svg, 0, ry, Width, rowHeight, "#f3f4f6");
            Text(svg, 10, ry + 17, c.Name, 11, color: c.Error is null ? "#111827" : "#dc2626");
            Rect(svg, Left, ry + 12, c.DurationS * scale, 1, "#9ca3af");
            foreach (var i in c.Incidents) Bar(svg, i.StartS, i.EndS, ry + 3, scale, GtColor, false, $"GT {i.Scenario}/{i.Zone} {i.StartS:0.0}-{i.EndS:0.0} s" + (i.Detected ? "" : " (missed)"), 9, !i.Detected);
            foreach (var e in c.Episodes) Bar(svg, e.StartS, e.EndS, ry + 14, scale, Color(e.Outcome), e.OpenAtEnd, $"{e.Outcome} {e.Scenario}/{e.Zone} {e.StartS:0.0}-{e.EndS:0.0} s", 9);
        }
        Axis(svg, top + report.Clips.Count * rowHeight + 4, longest, scale);
        Legend(svg, height - 14);
        return End(svg);
    }

    private static StringBuilder Begin(int height)
    {
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{height}\" viewBox=\"0 0 {Width} {height}\">\n");
        svg.Append("<defs><pattern id=\"open\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">")
            .Append("<rect width=\"3\" height=\"6\" fill=\"#ffffff\" fill-opacity=\"0.6\"/></pattern></defs>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{Width}\" height=\"{height}\" fill=\"#ffffff\"/>\n");
        return svg;
    }

    private static string End(StringBuilder svg) => svg.Append("</svg>\n").ToString();

    private static void Axis(StringBuilder svg, int y, double durationS, double scale)
    {
        Rect(svg, Left, y, durationS * scale, 1, "#374151");
        var step = durationS > 120 ? 30 : 10;
        for (var t = 0; t <= durationS + 1e-9; t += step)
        {
            var x = Left + t * scale;
            Rect(svg, x, y, 1, 5, "#374151");
            Text(svg, x - 6, y + 18, t.ToString(CultureInfo.InvariantCulture), 10, color: "#374151");
        }
        Text(svg, Left + durationS * scale - 60, y + 34, "video time, s", 10, color: "#374151");
    }

    private static void Legend(StringBuilder svg, int y)
    {
        var x = 10.0;
        foreach (var (label, color) in new[] { ("GT incident", GtColor), ("episode: true positive", Color("tp")), ("duplicate", Color("duplicate")), ("false positive", Color("fp")) })
        {
            Rect(svg, x, y - 9, 14, 10, color);
            Text(svg, x + 18, y, label, 10, color: "#374151");
            x += 32 + label.Length * 6;
        }
        Text(svg, x, y, "red outline: GT incident missed; hatched end: episode still open when the clip ended", 10, color: "#374151");
    }

    /// <param name="stroke">Outline in the false-positive red: a GT incident nothing detected.</param>
    private static void Bar(StringBuilder svg, double from, double to, double y, double scale, string color, bool hatchedEnd, string title, double height = 14, bool stroke = false)
    {
        var x = Left + from * scale;
        var w = Math.Max(2, (to - from) * scale);
        var outline = stroke ? $" stroke=\"{Color("fp")}\" stroke-width=\"2\"" : "";
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x:0.#}\" y=\"{y:0.#}\" width=\"{w:0.#}\" height=\"{height:0.#}\" fill=\"{color}\" rx=\"2\"{outline}><title>{SecurityElement.Escape(title)}</title></rect>\n");
        if (hatchedEnd && w > 12) svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x + w - 10:0.#}\" y=\"{y:0.#}\" width=\"10\" height=\"{height:0.#}\" fill=\"url(#open)\"/>\n");
    }

    private static void Rect(StringBuilder svg, double x, double y, double w, double h, string color) =>
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x:0.#}\" y=\"{y:0.#}\" width=\"{w:0.#}\" height=\"{h:0.#}\" fill=\"{color}\"/>\n");

    private static void Text(StringBuilder svg, double x, double y, string text, int size, bool bold = false, bool mono = false, string color = "#111827") =>
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x:0.#}\" y=\"{y:0.#}\" font-size=\"{size}\" fill=\"{color}\"")
            .Append(mono ? " font-family=\"DejaVu Sans Mono,monospace\" xml:space=\"preserve\"" : " " + Font)
            .Append(bold ? " font-weight=\"bold\"" : "")
            .Append('>').Append(SecurityElement.Escape(text)).Append("</text>\n");

    private static string F(double? v, string format = "0.00") => v is { } d ? d.ToString(format, CultureInfo.InvariantCulture) : "–";
}
