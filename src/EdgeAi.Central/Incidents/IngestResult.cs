
namespace EdgeAi.Central.Incidents;

/// <summary>What one batch of events did.</summary>
internal sealed record IngestResult(int Accepted, int Duplicates, int IncidentsOpened, IReadOnlyList<(ReceivedEvent Event, string Reason)> Rejected);
