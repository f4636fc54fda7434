namespace EdgeAi.Worker.Evidence;

/// <summary>A 24-bit colour.</summary>
public readonly record struct Rgb(byte R, byte G, byte B)
{
    public static Rgb Red { get; } = new(230, 30, 30);
    public static Rgb Yellow { get; } = new(255, 210, 0);
    public static Rgb Cyan { get; } = new(0, 200, 230);
}
