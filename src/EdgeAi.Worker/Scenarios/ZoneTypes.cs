namespace EdgeAi.Worker.Scenarios;

/// <summary>Zone types a camera's zones may have (lower case on the wire and in config).</summary>
public static class ZoneTypes
{
    public const string Road = "road";
    public const string Street = "street";
    public const string Greenery = "greenery";
    public const string Water = "water";
    public const string Bank = "bank";
    public const string Plaza = "plaza";

    public static IReadOnlyList<string> All { get; } = [Road, Street, Greenery, Water, Bank, Plaza];

    public static bool IsKnown(string? type) => type is Road or Street or Greenery or Water or Bank or Plaza;
}
