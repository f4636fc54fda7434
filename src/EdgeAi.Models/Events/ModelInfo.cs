namespace EdgeAi.Models.Events;

/// <summary>The detector model, as described by its manifest.</summary>
/// <param name="Sha256">Lower-case hex SHA-256 of the .onnx file (64 characters).</param>
public sealed record ModelInfo(string Name, string Version, string Sha256);
