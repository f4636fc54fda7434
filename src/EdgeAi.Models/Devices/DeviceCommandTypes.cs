namespace EdgeAi.Models.Devices;

/// <summary>Command types a worker understands.</summary>
public static class DeviceCommandTypes
{
    /// <summary>Re-check a zone for a scenario now and report whether the condition is still present.</summary>
    public const string Verify = "verify";

    /// <summary>Send an <see cref="Events.EvidenceDelivery.OnDevice"/> blob (named by <see cref="DeviceCommand.EvidenceId"/>) on the
    /// evidence topic, correlation data = the command id; the reply carries its <see cref="Events.EvidenceRef"/>.</summary>
    public const string FetchEvidence = "fetch_evidence";
}
