using EdgeAi.Models.Events;

namespace EdgeAi.Models.Tests.Events;

public sealed class EdgeEventValidatorTests
{
    [Fact]
    public void Validate_SampleEvent_Null() => Assert.Null(EdgeEventValidator.Validate(SampleEvents.Crowding()));

    [Fact]
    public void Validate_UnsequencedBeforeOutbox_AcceptedOnlyWhenNotRequired()
    {
        var evt = SampleEvents.Crowding(sequence: 0);

        Assert.Null(EdgeEventValidator.Validate(evt, requireSequence: false));
        Assert.Equal("sequence must be >= 1", EdgeEventValidator.Validate(evt));
    }

    [Fact]
    public void Validate_NullRequiredMember_ReportsMissing()
    {
        var evt = SampleEvents.Crowding() with { Camera = null! };

        Assert.Equal("missing required field 'camera'", EdgeEventValidator.Validate(evt));
    }

    [Fact]
    public void Validate_DuplicateEvidenceIds_Rejected()
    {
        var e = SampleEvents.Crowding();
        var evt = e with { Evidence = [e.Evidence[0], e.Evidence[0]] };

        Assert.Equal("evidence[1].id 'ev-0001' is duplicated", EdgeEventValidator.Validate(evt));
    }

    [Fact]
    public void EvidenceV11Fields_RoundTripAndAreChecked()
    {
        var e = SampleEvents.Crowding();
        var start = new DateTimeOffset(2026, 12, 6, 8, 0, 0, TimeSpan.Zero);
        var clip = new EvidenceRef("clip-1", new string('d', 64), 2_000_000, "video/mp4", EvidenceKinds.Clip)
        {
            Width = 1920, Height = 1080, StartTime = start, EndTime = start.AddSeconds(30), Blurred = false, Delivery = EvidenceDelivery.OnDevice,
        };
        var evt = e with { Evidence = [e.Evidence[0], clip] };

        var json = System.Text.Json.JsonSerializer.Serialize(evt, EdgeAiJsonContext.Default.EdgeEvent);
        Assert.Contains("\"delivery\":\"on_device\"", json);
        Assert.DoesNotContain("\"delivery\":\"attached\"", json);
        Assert.True(EdgeEventParser.TryParse(System.Text.Encoding.UTF8.GetBytes(json), out var back, out var reason), reason);
        Assert.Equal(clip, back.Evidence[1]);
        Assert.Equal(EvidenceDelivery.Attached, back.Evidence[0].Delivery);

        Assert.Equal("evidence[1].width must be between 1 and 16384", EdgeEventValidator.Validate(evt with { Evidence = [e.Evidence[0], clip with { Width = 0 }] }));
        Assert.Equal("evidence[1].end_time must not be before start_time",
            EdgeEventValidator.Validate(evt with { Evidence = [e.Evidence[0], clip with { EndTime = start.AddSeconds(-1) }] }));
    }

    [Fact]
    public void Validate_NonFiniteMeasuredValue_Rejected()
    {
        var e = SampleEvents.Crowding();
        var evt = e with { Rule = e.Rule with { Measured = new Dictionary<string, double> { ["persons"] = double.NaN } } };

        Assert.Equal("rule.measured.persons must be a finite number", EdgeEventValidator.Validate(evt));
    }

    [Theory]
    [InlineData("edge-01", true)]
    [InlineData("Edge_01.a", true)]
    [InlineData("", false)]
    [InlineData("edge/01", false)]
    [InlineData("edge+", false)]
    [InlineData("edge#", false)]
    [InlineData("边缘", false)]
    public void IsValidId_TopicSafeCharactersOnly(string id, bool valid) => Assert.Equal(valid, EdgeEventValidator.IsValidId(id));
}
