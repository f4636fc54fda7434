namespace EdgeAi.Worker.Eval;

/// <summary>What an emitted episode turned out to be.</summary>
internal enum EpisodeOutcome
{
    /// <summary>The first episode matched to a GT incident.</summary>
    TruePositive,

    /// <summary>A further episode matched to an incident that already has one (the incident was split).</summary>
    Duplicate,

    /// <summary>Matches no GT incident (wrong time, wrong zone or wrong scenario).</summary>
    FalsePositive,
}

/// <summary>A GT incident and what detected it.</summary>
/// <param name="Episode">Index (in the clip's episode list) of its first episode; null when missed.</param>
/// <param name="Episodes">Episodes matched to it (more than one = split into duplicates).</param>
/// <param name="TimeToDetectS">First episode's start − incident start; null when missed.</param>
internal sealed record IncidentMatch(GtIncident Incident, int? Episode, int Episodes, double? TimeToDetectS)
{
    public bool Detected => Episode is not null;
}

/// <summary>An emitted episode and what it was matched to.</summary>
/// <param name="Incident">Index (in the clip's incident list) of the incident it matched; null for a false positive.</param>
internal sealed record EpisodeMatch(DetectedEpisode Episode, EpisodeOutcome Outcome, int? Incident);

/// <summary>The scoring of one clip.</summary>
internal sealed record ClipMatch(IReadOnlyList<IncidentMatch> Incidents, IReadOnlyList<EpisodeMatch> Episodes);

/// <summary>
/// Matches emitted episodes to GT incidents of one clip. An episode can match an incident of the same scenario and
/// zone whose time range (widened by the tolerance on both ends) overlaps the episode's and which had begun when the
/// episode began (an episode that started before the incident's start − tolerance was raised by something else, e.g. a
/// static object mistaken for litter, and stays a false positive even if it lasts into the incident); it is given to the
/// one it overlaps most (ties: the earlier incident). Per incident the earliest matched episode is the true positive and
/// the others are duplicates; an incident without one is missed; an episode matching nothing is a false positive.
/// </summary>
internal static class EpisodeMatcher
{
    public static ClipMatch Match(IReadOnlyList<GtIncident> incidents, IReadOnlyList<DetectedEpisode> episodes, double toleranceS)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(toleranceS);
        var assigned = new int?[episodes.Count];
        for (var e = 0; e < episodes.Count; e++)
        {
            var ep = episodes[e];
            var best = 0.0;
            for (var i = 0; i < incidents.Count; i++)
            {
                var inc = incidents[i];
                if (!string.Equals(inc.Scenario, ep.Scenario, StringComparison.Ordinal) || !string.Equals(inc.Zone, ep.Zone, StringComparison.Ordinal)) continue;
                var from = inc.StartS - toleranceS;
                var to = inc.EndS + toleranceS;
                if (ep.StartS > to || ep.EndS < from || ep.StartS < from) continue;
                // Overlap length; + epsilon so an episode that only touches the widened range still counts.
                var overlap = Math.Min(ep.EndS, to) - Math.Max(ep.StartS, from) + 1e-9;
                if (assigned[e] is null || overlap > best)
                {
                    assigned[e] = i;
                    best = overlap;
                }
            }
        }

        var firstOf = new int?[incidents.Count];
        var counts = new int[incidents.Count];
        var order = Enumerable.Range(0, episodes.Count).OrderBy(e => episodes[e].StartS).ThenBy(e => e);
        var outcomes = new EpisodeOutcome[episodes.Count];
        foreach (var e in order)
        {
            if (assigned[e] is not { } i)
            {
                outcomes[e] = EpisodeOutcome.FalsePositive;
                continue;
            }
            counts[i]++;
            if (firstOf[i] is null)
            {
                firstOf[i] = e;
                outcomes[e] = EpisodeOutcome.TruePositive;
            }
            else
            {
                outcomes[e] = EpisodeOutcome.Duplicate;
            }
        }

        var incidentMatches = incidents.Select((inc, i) => new IncidentMatch(inc, firstOf[i], counts[i],
            firstOf[i] is { } e ? episodes[e].StartS - inc.StartS : null)).ToList();
        var episodeMatches = episodes.Select((ep, e) => new EpisodeMatch(ep, outcomes[e], assigned[e])).ToList();
        return new ClipMatch(incidentMatches, episodeMatches);
    }
}
