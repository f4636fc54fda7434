namespace EdgeAi.Worker.Detection;

/// <summary>One detector output after decoding and NMS: class, confidence and a box normalised to the source frame.</summary>
public readonly record struct Detection(int ClassId, string Label, float Confidence, BoxF Box);
