namespace EdgeAi.Models.Devices;

/// <summary>Command types a worker understands.</summary>
public static class DeviceCommandTypes
{
    /// <summary>Re-check a zone for a scenario now and report whether the condition is still present.</summary>
    public const string Verify = "verify";
}
