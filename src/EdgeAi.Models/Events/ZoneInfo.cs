namespace EdgeAi.Models.Events;

/// <summary>The zone a rule watched.</summary>
/// <param name="Id">Zone id, unique per camera (1–64 of [A-Za-z0-9._-]).</param>
/// <param name="Type">road, street, greenery, water, bank or plaza.</param>
/// <param name="Name">Display name, optional.</param>
/// <param name="AreaM2">Zone area in square metres, when configured (density rules).</param>
public sealed record ZoneInfo(string Id, string Type, string? Name = null, double? AreaM2 = null);
