using EdgeAi.Models.Events;

namespace EdgeAi.Central.Storage;

/// <summary>
/// What Central knows of one piece of evidence from the references it was given (an event's snapshot, crop or clip; a
/// verify reply's after-picture), whether or not its blob is stored. <see cref="Stored"/> is filled by the queries that join
/// the evidence table.
/// </summary>
internal sealed class EvidenceMetaRow
{
    public string EvidenceId { get; set; } = "";

    public string DeviceId { get; set; } = "";

    public string CameraId { get; set; } = "";

    public string? IncidentId { get; set; }

    public string? CaseId { get; set; }

    public string? CommandId { get; set; }

    public string? EventId { get; set; }

    public string Kind { get; set; } = "";

    public string ContentType { get; set; } = "";

    public long Bytes { get; set; }

    public string Sha256 { get; set; } = "";

    public long? Width { get; set; }

    public long? Height { get; set; }

    public long? StartTime { get; set; }

    public long? EndTime { get; set; }

    /// <summary>1 blurred, 0 unblurred (shows people as seen), null not said.</summary>
    public long? Blurred { get; set; }

    /// <summary>attached | on_device.</summary>
    public EvidenceDelivery Delivery { get; set; } = EvidenceDelivery.Attached;

    /// <summary>The delivery column's text (see <see cref="StoredTextColumns"/>).</summary>
    public string DeliveryText { get => Delivery.ToText(); set => Delivery = StoredText<EvidenceDelivery>.Parse(value); }

    public long CreatedAt { get; set; }

    /// <summary>1 when the blob is in the evidence table (query-filled).</summary>
    public long Stored { get; set; }

    /// <summary>Explicitly unblurred: only users with the evidence_unblurred permission may see it.</summary>
    public bool IsUnblurred => Blurred == 0;

    public bool OnDevice => Delivery == EvidenceDelivery.OnDevice;

    /// <summary>A reference's delivery as stored: on_device, else attached (the schema's default; also for a number the JSON converter let through).</summary>
    public static EvidenceDelivery DeliveryOf(EvidenceRef r) => r.Delivery == EvidenceDelivery.OnDevice ? EvidenceDelivery.OnDevice : EvidenceDelivery.Attached;
}

/// <summary>A fetch_evidence command and how it ended.</summary>
internal sealed record EvidenceRequestRow
{
    public string CommandId { get; set; } = "";

    public string EvidenceId { get; set; } = "";

    public string DeviceId { get; set; } = "";

    public string CameraId { get; set; } = "";

    public string RequestedBy { get; set; } = "";

    public long RequestedAt { get; set; }

    public EvidenceRequestState State { get; set; } = EvidenceRequestState.Pending;

    /// <summary>The state column's text (see <see cref="StoredTextColumns"/>).</summary>
    public string StateText { get => State.ToText(); set => State = StoredText<EvidenceRequestState>.Parse(value); }

    public string? Detail { get; set; }

    public long? DoneAt { get; set; }
}

/// <summary>One audited request for, or view of, unblurred evidence.</summary>
internal sealed class EvidenceAccessRow
{
    public long Id { get; set; }

    public long At { get; set; }

    public string Principal { get; set; } = "";

    public EvidenceAccess Action { get; set; }

    /// <summary>The action column's text (see <see cref="StoredTextColumns"/>).</summary>
    public string ActionText { get => Action.ToText(); set => Action = StoredText<EvidenceAccess>.Parse(value); }

    public string EvidenceId { get; set; } = "";

    public string? DeviceId { get; set; }

    public string? CameraId { get; set; }

    public long Allowed { get; set; }

    public string Reason { get; set; } = "";
}
