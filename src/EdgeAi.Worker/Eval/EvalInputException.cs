namespace EdgeAi.Worker.Eval;

/// <summary>Eval input is unusable (missing clip, bad ground truth); the message names the file, key and reason.</summary>
internal sealed class EvalInputException(string message) : Exception(message);
