using EdgeAi.Worker.Scenarios;

namespace EdgeAi.Worker.Eval;

/// <summary>
/// The scenario configuration a camera watching this clip would have: the GT's zones, every rule with its defaults
/// (so a rule may fire where the script has no incident: that is a false positive the eval must see), the fishing
/// ban schedule and the crowding thresholds from the GT where it states them.
/// </summary>
internal static class ClipScenarioConfig
{
    /// <summary>Builds and validates the config; throws <see cref="EvalInputException"/> naming the GT file on a bad zone or schedule.</summary>
    public static ScenarioConfig For(EvalClip clip)
    {
        var gt = clip.Truth;
        var config = new ScenarioConfig
        {
            Zones = (gt.Zones ?? []).Select(z => new ZoneConfig { Id = z.Id, Type = z.Type, Polygon = z.Polygon, AreaM2 = z.AreaM2 }).ToList(),
        };
        if (gt.BanSchedule is { } ban)
        {
            config = config with
            {
                IllegalFishing = config.IllegalFishing with
                {
                    BanSchedule = new BanScheduleConfig
                    {
                        DateRanges = (ban.DateRanges ?? []).Select(p => $"{p[0]}..{p[1]}").ToList(),
                        DailyHours = (ban.Daily ?? []).Select(p => $"{p[0]}-{p[1]}").ToList(),
                        TimeZone = ban.Tz ?? new BanScheduleConfig().TimeZone,
                    },
                },
            };
        }
        if (gt.Rule is { } rule)
        {
            var crowding = config.Crowding;
            if (rule.MinPersons is { } n) crowding = crowding with { MinPersons = n };
            if (rule.MinDurationS is { } s) crowding = crowding with { MinDuration = TimeSpan.FromSeconds(s) };
            config = config with { Crowding = crowding };
        }
        var errors = ScenarioConfigValidator.Validate(config);
        if (errors.Count > 0) throw new EvalInputException(string.Join(Environment.NewLine, errors.Select(e => $"{clip.GroundTruthPath}: {e}")));
        return config;
    }
}
