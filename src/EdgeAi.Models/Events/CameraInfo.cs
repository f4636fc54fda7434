namespace EdgeAi.Models.Events;

/// <summary>The camera an event or reply refers to.</summary>
/// <param name="Id">Camera id as configured on the gateway (1–64 of [A-Za-z0-9._-]).</param>
/// <param name="Name">Display name (any text, at most 128 characters).</param>
/// <param name="Lat">WGS-84 latitude, −90..90.</param>
/// <param name="Lon">WGS-84 longitude, −180..180.</param>
/// <param name="Gb28181Id">Optional 20-digit GB/T 28181 device id.</param>
public sealed record CameraInfo(string Id, string Name, double Lat, double Lon, string? Gb28181Id = null);
