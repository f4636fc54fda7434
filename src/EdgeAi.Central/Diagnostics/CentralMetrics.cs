using System.Diagnostics.Metrics;

namespace EdgeAi.Central.Diagnostics;

/// <summary>
/// Central's counters, published on the "EdgeAi.Central" meter (for /metrics) and readable directly (stats API, tests).
/// Thread-safe.
/// </summary>
internal sealed class CentralMetrics : IDisposable
{
    public const string MeterName = "EdgeAi.Central";

    private readonly Meter _meter = new(MeterName);
    private long _received, _eventsAccepted, _duplicates, _deadLetters, _incidentsOpened, _casesFiled, _filingFailures, _queueFullWaits, _evidenceStored, _verificationResent, _verificationTimedOut, _evidencePruned, _deadLettersPruned;
    private readonly Counter<long> _deadLetterCounter;
    private readonly Counter<long> _reviewCounter, _escalationCounter;
    private long _escalations, _dismissals;

    public CentralMetrics()
    {
        _meter.CreateObservableCounter("edgeai_central_messages_received_total", () => Volatile.Read(ref _received), description: "MQTT messages taken from the broker");
        _meter.CreateObservableCounter("edgeai_central_events_accepted_total", () => Volatile.Read(ref _eventsAccepted), description: "Valid new events stored");
        _meter.CreateObservableCounter("edgeai_central_events_duplicate_total", () => Volatile.Read(ref _duplicates), description: "Redelivered events ignored by event id");
        _deadLetterCounter = _meter.CreateCounter<long>("edgeai_central_dead_letters_total", description: "Rejected messages stored in the dead-letter table, by reason class");
        _meter.CreateObservableCounter("edgeai_central_incidents_opened_total", () => Volatile.Read(ref _incidentsOpened), description: "Incidents opened");
        _meter.CreateObservableCounter("edgeai_central_cases_filed_total", () => Volatile.Read(ref _casesFiled), description: "Cases acknowledged by the platform");
        _meter.CreateObservableCounter("edgeai_central_outbox_failures_total", () => Volatile.Read(ref _filingFailures), description: "Failed outbox attempts (platform or broker)");
        _meter.CreateObservableCounter("edgeai_central_queue_full_waits_total", () => Volatile.Read(ref _queueFullWaits), description: "Times the MQTT thread waited for room in the inbound queue");
        _meter.CreateObservableCounter("edgeai_central_verification_resent_total", () => Volatile.Read(ref _verificationResent), description: "Verification commands sent again after no reply");
        _meter.CreateObservableCounter("edgeai_central_verification_timeouts_total", () => Volatile.Read(ref _verificationTimedOut), description: "Verification commands given up without a reply");
        _meter.CreateObservableCounter("edgeai_central_evidence_pruned_total", () => Volatile.Read(ref _evidencePruned), description: "Evidence images deleted by the retention limits");
        _meter.CreateObservableCounter("edgeai_central_dead_letters_pruned_total", () => Volatile.Read(ref _deadLettersPruned), description: "Dead letters deleted by the retention limits");
        _reviewCounter = _meter.CreateCounter<long>("edgeai_central_reviews_total", description: "Review decisions on held or recorded cases, by outcome and dismissal reason");
        _escalationCounter = _meter.CreateCounter<long>("edgeai_central_escalations_total", description: "Cases escalated (督办), by reason: overdue or reopened");
        _meter.CreateObservableGauge("edgeai_central_queue_depth", () => QueueDepth?.Invoke() ?? 0, description: "Messages between the MQTT thread and the store");
        _meter.CreateObservableGauge("edgeai_central_cases", () => Cases.Select(kv => new Measurement<long>(kv.Value, new KeyValuePair<string, object?>("state", kv.Key))),
            description: "Cases by state (counted in the store at each scrape)");
        _meter.CreateObservableGauge("edgeai_central_open_incidents", () => OpenIncidents, description: "Incidents not yet closed (counted in the store at each scrape)");
        _meter.CreateObservableGauge("edgeai_central_outbox_pending", () => OutboxPending, description: "Platform/broker outbox rows still to send");
        _meter.CreateObservableGauge("edgeai_central_camera_fault", () => (CameraFaults?.Invoke() ?? []).Select(f => new Measurement<long>(1,
                new KeyValuePair<string, object?>("device_id", f.Device), new KeyValuePair<string, object?>("camera_id", f.Camera), new KeyValuePair<string, object?>("reason", f.Reason))),
            description: "1 for each camera offline, stalled or with a video quality flag for longer than device_faults.after_s");
        _meter.CreateObservableGauge("edgeai_central_mqtt_connected", () => MqttConnected?.Invoke() == true ? 1 : 0, description: "1 while connected to the broker");
    }

    /// <summary>Cases by state: every known state, 0 included, so a dashboard query never sees a series vanish.</summary>
    public IReadOnlyDictionary<string, long> Cases { get; private set; } = WithAllStates(new Dictionary<string, long>());

    public long OpenIncidents { get; private set; }

    public long OutboxPending { get; private set; }

    /// <summary>Set by the camera fault monitor: cameras in fault past the threshold.</summary>
    public Func<IReadOnlyList<(string Device, string Camera, string Reason)>>? CameraFaults { get; set; }

    /// <summary>Set by the host: the broker connection state.</summary>
    public Func<bool>? MqttConnected { get; set; }

    /// <summary>Store counts for the gauges; refreshed before each /metrics scrape and by the systemd status loop.</summary>
    public void SetCounts(Storage.StoreCounts counts)
    {
        Cases = WithAllStates(counts.CasesByState);
        OpenIncidents = counts.OpenIncidents;
        OutboxPending = counts.OutboxPending;
    }

    private static Dictionary<string, long> WithAllStates(IReadOnlyDictionary<string, long> byState)
    {
        var all = EdgeAi.Central.Cases.CaseStates.All.ToDictionary(s => s, s => byState.GetValueOrDefault(s));
        foreach (var (k, v) in byState) all[k] = v;
        return all;
    }

    /// <summary>Set by the inbound queue.</summary>
    public Func<int>? QueueDepth { get; set; }

    public long Received => Volatile.Read(ref _received);
    public long EventsAccepted => Volatile.Read(ref _eventsAccepted);
    public long Duplicates => Volatile.Read(ref _duplicates);
    public long DeadLetters => Volatile.Read(ref _deadLetters);
    public long IncidentsOpened => Volatile.Read(ref _incidentsOpened);
    public long CasesFiled => Volatile.Read(ref _casesFiled);
    public long OutboxFailures => Volatile.Read(ref _filingFailures);
    public long QueueFullWaits => Volatile.Read(ref _queueFullWaits);
    public long EvidenceStored => Volatile.Read(ref _evidenceStored);

    public long VerificationResends => Volatile.Read(ref _verificationResent);
    public long VerificationTimeouts => Volatile.Read(ref _verificationTimedOut);
    public long EvidencePruned => Volatile.Read(ref _evidencePruned);
    public long DeadLettersPruned => Volatile.Read(ref _deadLettersPruned);

    public void VerificationResent() => Interlocked.Increment(ref _verificationResent);
    public void VerificationTimedOut() => Interlocked.Increment(ref _verificationTimedOut);
    public void Pruned(long evidence, long deadLetters)
    {
        Interlocked.Add(ref _evidencePruned, evidence);
        Interlocked.Add(ref _deadLettersPruned, deadLetters);
    }

    public void MessageReceived() => Interlocked.Increment(ref _received);
    public void EventsStored(int n) => Interlocked.Add(ref _eventsAccepted, n);
    public void DuplicatesIgnored(int n) => Interlocked.Add(ref _duplicates, n);
    public void IncidentOpened(int n) => Interlocked.Add(ref _incidentsOpened, n);
    public void CaseFiled() => Interlocked.Increment(ref _casesFiled);
    public void OutboxFailed() => Interlocked.Increment(ref _filingFailures);
    public void QueueFull() => Interlocked.Increment(ref _queueFullWaits);
    public void EvidenceSaved() => Interlocked.Increment(ref _evidenceStored);

    public void DeadLettered(string reasonClass)
    {
        Interlocked.Increment(ref _deadLetters);
        _deadLetterCounter.Add(1, new KeyValuePair<string, object?>("reason", reasonClass));
    }

    public long Escalations => Volatile.Read(ref _escalations);
    public long Dismissals => Volatile.Read(ref _dismissals);

    public void Reviewed(string outcome, string? reason)
    {
        if (outcome == "dismissed") Interlocked.Increment(ref _dismissals);
        _reviewCounter.Add(1, new KeyValuePair<string, object?>("outcome", outcome), new KeyValuePair<string, object?>("reason", reason ?? ""));
    }

    public void Escalated(string reason)
    {
        Interlocked.Increment(ref _escalations);
        _escalationCounter.Add(1, new KeyValuePair<string, object?>("reason", reason));
    }

    public void Dispose() => _meter.Dispose();
}
