namespace EdgeAi.Central.Storage;

/// <summary>A verification command sent to a device and its reply.</summary>
internal sealed class CommandRow
{
    public string CommandId { get; set; } = "";

    public string CaseId { get; set; } = "";

    public string IncidentId { get; set; } = "";

    public string DeviceId { get; set; } = "";

    public string CameraId { get; set; } = "";

    public long RequestedAt { get; set; }

    public long? SentAt { get; set; }

    public VerificationResult? Result { get; set; }

    /// <summary>The result column's text (see <see cref="StoredTextColumns"/>).</summary>
    public string? ResultText
    {
        get => Result?.ToText();
        set => Result = value is null ? null : StoredText<VerificationResult>.Parse(value);
    }

    public string? Detail { get; set; }

    public long? RepliedAt { get; set; }

    /// <summary>Times sent (1 + resends after verification.reply_timeout_s without a reply).</summary>
    public long Attempts { get; set; } = 1;
}
