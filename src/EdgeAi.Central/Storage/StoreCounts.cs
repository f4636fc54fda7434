namespace EdgeAi.Central.Storage;

/// <summary>Row counts: what is stored and what is still owed to the platform.</summary>
internal sealed record StoreCounts(
    long Events,
    long Incidents,
    long OpenIncidents,
    long Cases,
    IReadOnlyDictionary<CaseState, long> CasesByState,
    long DeadLetters,
    long Evidence,
    long OutboxPending,
    long OutboxDead);
