namespace EdgeAi.Central.Platforms;

/// <summary>A camera that saw the incident.</summary>
internal sealed record CaseCamera(string DeviceId, string CameraId, double Lat, double Lon, string ZoneId);
