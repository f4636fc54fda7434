namespace EdgeAi.Interop.Mqtt;

public static class MqttVersion
{
    /// <summary>The loaded libmosquitto's version, e.g. "2.0.11".</summary>
    public static string Get()
    {
        Native.NativeLibraries.RequireMosquitto();
        MosquittoNative.LibVersion(out var major, out var minor, out var revision);
        return $"{major}.{minor}.{revision}";
    }
}
