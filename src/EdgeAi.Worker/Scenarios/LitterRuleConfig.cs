namespace EdgeAi.Worker.Scenarios;

/// <summary>
/// Litter (暴露垃圾): a litter object stays in a street or greenery zone, stationary, for
/// <see cref="MinStationary"/>. "Stationary" means its centre stays within <see cref="StationaryTolerance"/> box
/// sizes of where it settled; time during which a moving person overlaps it does not count, so a bag carried by a
/// walking (or briefly pausing) person never fires. What already lies in the zone when the rule starts is learned as
/// part of the scene (<see cref="SceneWarmup"/>). Defaults: zone types street, greenery; min confidence 0.35;
/// grace 15 s; cooldown 60 s; updates every 60 s.
/// </summary>
public sealed record LitterRuleConfig : RuleConfig
{
    public LitterRuleConfig()
    {
        ZoneTypes = [Scenarios.ZoneTypes.Street, Scenarios.ZoneTypes.Greenery];
        MinConfidence = 0.35;
        GracePeriod = TimeSpan.FromSeconds(15);
        UpdateInterval = TimeSpan.FromSeconds(60);
    }

    /// <summary>Labels that count as litter. Default litter, garbage_pile.</summary>
    public IReadOnlyList<string> Classes { get; init; } = ["litter", "garbage_pile"];

    /// <summary>How long an object must stay put before the episode starts. Default 10 s.</summary>
    public TimeSpan MinStationary { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Movement, in box sizes per axis, that restarts the stationary clock. Default 0.5.</summary>
    public double StationaryTolerance { get; init; } = 0.5;

    /// <summary>Pause the stationary clock while a moving person overlaps the object. Default true.</summary>
    public bool SuppressNearMovingPerson { get; init; } = true;

    /// <summary>A person is moving when its tracker displacement over the motion window is at least this many box sizes. Default 0.5.</summary>
    public double MovingPersonDisplacement { get; init; } = 0.5;

    /// <summary>
    /// How long after the rule starts (worker start, camera added or its rules reloaded) the items at rest in the zone
    /// are learned as part of the scene and not reported while they stay (a place seen empty for 45 s — the grace period
    /// or <see cref="MinStationary"/>, whichever is longer, plus 30 s — is forgotten): the rule cannot tell when they
    /// were dropped. Litter dropped
    /// within this time after a start is missed. 00:00:00 turns the baseline off: items already lying there are reported
    /// like dropped ones once they have been at rest for <see cref="MinStationary"/>. Default 5 s.
    /// </summary>
    public TimeSpan SceneWarmup { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Labels of persons (for the carried-object check). Default person.</summary>
    public IReadOnlyList<string> PersonClasses { get; init; } = ["person"];
}
