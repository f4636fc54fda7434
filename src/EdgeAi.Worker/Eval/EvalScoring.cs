using WireScenarios = EdgeAi.Models.Events.Scenarios;

namespace EdgeAi.Worker.Eval;

/// <summary>Turns clip runs into the <see cref="EvalReport"/>: matches each clip, then sums per scenario.</summary>
internal static class EvalScoring
{
    public static EvalReport Score(IReadOnlyList<ClipRun> runs, EvalModelInfo model, EvalOptions options)
    {
        var clips = runs.OrderBy(r => r.Clip.Name, StringComparer.Ordinal).Select(r => ClipReportOf(r, options.MatchToleranceS)).ToList();
        var scenarios = WireScenarios.All.Select(s => Sum(s, clips, i => i.Scenario == s, e => e.Scenario == s)).ToList();
        var overall = Sum("all", clips, _ => true, _ => true);
        return new EvalReport(EvalReport.SchemaName, model, new EvalSettings("keyframes", options.MatchToleranceS, clips.Count), scenarios, overall, clips);
    }

    public static ClipReport ClipReportOf(ClipRun run, double toleranceS)
    {
        var gt = run.Clip.Truth;
        var incidents = gt.Incidents ?? [];
        var match = EpisodeMatcher.Match(incidents, run.Episodes, toleranceS);
        return new ClipReport(run.Clip.Name, gt.Scenario, gt.Variant, gt.DurationS, run.Clip.ClockStart.ToString("yyyy-MM-dd'T'HH:mm:sszzz"),
            run.FramesAnalysed, run.ExpectedFrames, run.Error,
            match.Incidents.Select(m => new IncidentReport(m.Incident.Scenario, m.Incident.Zone, R(m.Incident.StartS), R(m.Incident.EndS), m.Incident.Note,
                m.Detected, m.Episode is { } e ? R(run.Episodes[e].StartS) : null, m.TimeToDetectS is { } t ? R(t) : null, m.Episodes)).ToList(),
            match.Episodes.Select(m => new EpisodeReport(m.Episode.Scenario, m.Episode.Zone, R(m.Episode.StartS), R(m.Episode.EndS), m.Episode.OpenAtEnd,
                OutcomeName(m.Outcome), m.Incident)).ToList());
    }

    public static string OutcomeName(EpisodeOutcome o) => o switch
    {
        EpisodeOutcome.TruePositive => "tp",
        EpisodeOutcome.Duplicate => "duplicate",
        _ => "fp",
    };

    private static ScenarioMetrics Sum(string scenario, IReadOnlyList<ClipReport> clips, Func<IncidentReport, bool> incident, Func<EpisodeReport, bool> episode)
    {
        var incidents = clips.SelectMany(c => c.Incidents).Where(incident).ToList();
        var episodes = clips.SelectMany(c => c.Episodes).Where(episode).ToList();
        var tp = incidents.Count(i => i.Detected);
        var fp = episodes.Count(e => e.Outcome == "fp");
        var dup = episodes.Count(e => e.Outcome == "duplicate");
        var ttd = incidents.Where(i => i.TimeToDetectS is not null).Select(i => i.TimeToDetectS!.Value).ToList();
        return new ScenarioMetrics(scenario, incidents.Count, tp, fp, incidents.Count - tp, dup,
            tp + fp == 0 ? null : R4((double)tp / (tp + fp)),
            incidents.Count == 0 ? null : R4((double)tp / incidents.Count),
            ttd.Count == 0 ? null : R(ttd.Average()),
            ttd.Count == 0 ? null : R(ttd.Max()));
    }

    private static double R(double seconds) => Math.Round(seconds, 3);

    private static double R4(double ratio) => Math.Round(ratio, 4);
}
