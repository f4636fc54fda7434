namespace EdgeAi.Worker.Evidence;

/// <summary>JPEGs rendered for one episode event (or a verification's after-photo).</summary>
/// <param name="Snapshot">Full frame with the zone outline, the event's object boxes and their class/confidence labels (persons blurred when the rule says so).</param>
/// <param name="Crop">Region around the event's objects, unannotated (blurred likewise); null when disabled or no objects.</param>
/// <param name="Width">Snapshot width in pixels: the camera's own when drawn on the full-resolution frame.</param>
/// <param name="Height">Snapshot height in pixels.</param>
/// <param name="CropWidth">Crop width in pixels (0 without a crop).</param>
/// <param name="CropHeight">Crop height in pixels (0 without a crop).</param>
/// <param name="Blurred">Persons were blurred (the rule's privacy blur).</param>
internal sealed record EvidenceImages(byte[] Snapshot, byte[]? Crop, int Width = 0, int Height = 0, int CropWidth = 0, int CropHeight = 0, bool Blurred = false);
