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
