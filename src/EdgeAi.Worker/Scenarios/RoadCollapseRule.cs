using WireScenarios = EdgeAi.Models.Events.Scenarios;

namespace EdgeAi.Worker.Scenarios;

/// <summary>Road collapse in one zone (see <see cref="RoadCollapseRuleConfig"/>): a pothole present in K analysed frames.</summary>
internal sealed class RoadCollapseRule : ZoneRule
{
    private static readonly string[] MeasuredNames = ["regions", "max_area_fraction", "max_confidence"];

    private readonly RoadCollapseRuleConfig _config;
    private readonly HashSet<string> _classes;

    public RoadCollapseRule(RoadCollapseRuleConfig config, Zone zone)
        : base(WireScenarios.RoadCollapse, "road_collapse.persistent", config, zone, MeasuredNames)
    {
        _config = config;
        _classes = ClassSet(config.Classes);
    }

    protected override int MinFrames => _config.MinFrames;

    protected override void AddParameters(Dictionary<string, double> parameters) => parameters["min_frames"] = _config.MinFrames;

    protected override void Evaluate(ScenarioFrame frame, out bool qualifies, out bool sustains)
    {
        var objects = frame.Objects;
        int regions = 0;
        double maxArea = 0, maxConfidence = 0;
        for (var i = 0; i < objects.Count; i++)
        {
            var o = objects[i];
            if (!Eligible(o, _classes, _config.MinConfidence) || !frame.InZone(i, Zone.Index)) continue;
            regions++;
            maxArea = Math.Max(maxArea, o.Box.Area);
            maxConfidence = Math.Max(maxConfidence, o.Confidence);
            Involved.Add(o);
        }
        qualifies = sustains = regions > 0;
        Measured[0] = regions;
        Measured[1] = Math.Round(maxArea, 5);
        Measured[2] = Math.Round(maxConfidence, 4);
    }
}
