namespace EdgeAi.Central.Incidents;

/// <summary>What correlation needs of one event: which camera, where, the box around its objects, when.</summary>
internal readonly record struct CorrelationProbe(string DeviceId, string CameraId, double Lat, double Lon, Box? Box, DateTimeOffset Time);
