namespace EdgeAi.Central.Configuration;

/// <summary>The platform's class for a scenario: GB/T 30428 major class (大类), subclass (小类) and the platform's code (Open311 service_code).</summary>
internal sealed record PlatformCategory(string Class, string Subclass, string Code);
