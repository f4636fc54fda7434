using EdgeAi.Models.Devices;
using EdgeAi.Worker.Outbox;

namespace EdgeAi.Worker.Publishing;

/// <summary>What a <see cref="DeviceCommandHandler"/> found; <see cref="CommandListener"/> turns it into a <see cref="CommandReply"/>.</summary>
/// <param name="Evidence">Blobs to publish with the reply (evidence topic, correlation data = command id).</param>
internal sealed record CommandOutcome(CommandResult Result, string? Detail, IReadOnlyList<EvidenceBlob> Evidence);
