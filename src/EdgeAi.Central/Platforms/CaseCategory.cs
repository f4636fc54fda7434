namespace EdgeAi.Central.Platforms;

/// <summary>GB/T 30428 class (大类) and subclass (小类), and the platform's code for them.</summary>
internal sealed record CaseCategory(string Class, string Subclass, string Code);
