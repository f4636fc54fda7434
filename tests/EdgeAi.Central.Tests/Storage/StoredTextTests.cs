using System.Text.Json;
using EdgeAi.Central.Configuration;
using EdgeAi.Central.Platforms;
using EdgeAi.Central.Storage;
using EdgeAi.Models.Events;

namespace EdgeAi.Central.Tests.Storage;

/// <summary>The one mapping between the vocabulary enums and the words the database, the API and the platform carry.</summary>
public sealed class StoredTextTests
{
    [Fact]
    public void All_EachVocabulary_IsTheWordsStoredBefore()
    {
        Assert.Equal(["held", "recorded", "dismissed", "detected", "filed", "accepted", "dispatched", "resolved", "verified", "closed", "rejected", "false_positive", "reopened", "unverifiable", "dead"],
            StoredText<CaseState>.All);
        Assert.Equal(["file", "notify", "verify"], StoredText<OutboxKind>.All);
        Assert.Equal(["open", "closed"], StoredText<IncidentState>.All);
        Assert.Equal(["confirmed", "dismissed"], StoredText<ReviewOutcome>.All);
        Assert.Equal(["cleared", "still_present", "unverifiable", "error", "timeout"], StoredText<VerificationResult>.All);
        Assert.Equal(["pending", "delivered", "error", "timeout", "offline"], StoredText<EvidenceRequestState>.All);
        Assert.Equal(["view", "fetch"], StoredText<EvidenceAccess>.All);
        // a wire enum of EdgeAi.Models keeps the words its JSON names give it
        Assert.Equal(["attached", "on_device"], StoredText<EvidenceDelivery>.All);
        // cases.platform holds the configured platform kind's word
        Assert.Equal(["webhook", "open311"], StoredText<PlatformKind>.All);
    }

    [Theory]
    [InlineData("false_positive", nameof(CaseState.FalsePositive))]
    [InlineData("held", nameof(CaseState.Held))]
    public void Parse_StoredWord_TheValue(string text, string member)
    {
        var expected = Enum.Parse<CaseState>(member);
        Assert.Equal(expected, StoredText<CaseState>.Parse(text));
        Assert.Equal(text, expected.ToText());
    }

    [Theory]
    [InlineData("FalsePositive")]
    [InlineData("Held")]
    [InlineData("3")]
    [InlineData("")]
    [InlineData(null)]
    public void Parse_AnythingElse_RefusedNamingTheWords(string? text)
    {
        Assert.False(StoredText<CaseState>.TryParse(text, out _));
        var ex = Assert.Throws<FormatException>(() => StoredText<CaseState>.Parse(text));
        Assert.Contains("expected one of held, recorded, dismissed", ex.Message);
    }

    [Fact]
    public void ToText_UndefinedValue_Throws() => Assert.Throws<ArgumentOutOfRangeException>(() => ((CaseState)99).ToText());

    [Fact]
    public void Json_ValuesAndDictionaryKeys_AreTheWords()
    {
        var json = JsonSerializer.Serialize(new
        {
            state = CaseState.FalsePositive, kind = OutboxKind.Verify, outcome = (ReviewOutcome?)ReviewOutcome.Dismissed,
            by_state = new Dictionary<CaseState, long> { [CaseState.FalsePositive] = 2 },
        }, PlatformJson.Options);
        Assert.Equal("""{"state":"false_positive","kind":"verify","outcome":"dismissed","by_state":{"false_positive":2}}""", json);
        Assert.Equal(CaseState.Unverifiable, JsonSerializer.Deserialize<CaseState>("\"unverifiable\"", PlatformJson.Options));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<CaseState>("\"Unverifiable\"", PlatformJson.Options));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<CaseState>("8", PlatformJson.Options));
    }

    [Fact]
    public void CanMove_TheLifecycle()
    {
        Assert.True(CaseStates.CanMove(CaseState.Detected, CaseState.Filed));
        Assert.True(CaseStates.CanMove(CaseState.Resolved, CaseState.Unverifiable));
        Assert.True(CaseStates.CanMove(CaseState.Held, CaseState.Dismissed));
        Assert.False(CaseStates.CanMove(CaseState.Closed, CaseState.Reopened));
        Assert.False(CaseStates.CanMove(CaseState.Held, CaseState.Filed));
        Assert.All(CaseStates.Final.Where(s => s != CaseState.Verified && s != CaseState.Dead),
            s => Assert.DoesNotContain(CaseStates.All, t => CaseStates.CanMove(s, t)));
        // the guards of Central's own moves ask the graph: filing from detected or dead, review from held or recorded
        Assert.Equal([CaseState.Detected, CaseState.Dead], CaseStates.All.Where(s => CaseStates.CanMove(s, CaseState.Filed)).Order());
        Assert.Equal([CaseState.Held, CaseState.Recorded], CaseStates.All.Where(s => CaseStates.CanMove(s, CaseState.Detected)));
        Assert.Equal([CaseState.Held, CaseState.Recorded], CaseStates.All.Where(s => CaseStates.CanMove(s, CaseState.Dismissed)));
    }
}
