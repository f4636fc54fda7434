namespace EdgeAi.Worker.Evidence;

/// <summary>JPEGs rendered for one episode event.</summary>
/// <param name="Snapshot">Full frame with the zone outline, the event's object boxes and their class/confidence labels (persons blurred when the rule says so).</param>
/// <param name="Crop">Region around the event's objects, unannotated (blurred likewise); null when disabled or no objects.</param>
internal sealed record EvidenceImages(byte[] Snapshot, byte[]? Crop);
