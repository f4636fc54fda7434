using EdgeAi.Central.Storage;
using Prometheus;

namespace EdgeAi.Central.Diagnostics;

/// <summary>
/// Central's counters and gauges (prometheus-net, one <see cref="Registry"/> per instance, so tests can host several
/// Centrals in one process), served at /metrics and readable directly (stats API, tests). Thread-safe.
/// </summary>
internal sealed class CentralMetrics
{
    private readonly Counter _received, _eventsAccepted, _duplicates, _deadLettersByReason, _incidentsOpened, _casesFiled, _filingFailures,
        _queueFullWaits, _verificationResent, _verificationTimedOut, _evidencePruned, _deadLettersPruned, _reviews, _escalationsByReason;
    private readonly Gauge _queueDepth, _cases, _openIncidents, _outboxPending, _mqttConnected, _cameraFault;
    private long _deadLetters, _evidenceStored, _escalations, _dismissals;

    public CentralMetrics()
    {
        var f = Metrics.WithCustomRegistry(Registry);
        _received = f.CreateCounter("edgeai_central_messages_received_total", "MQTT messages taken from the broker");
        _eventsAccepted = f.CreateCounter("edgeai_central_events_accepted_total", "Valid new events stored");
        _duplicates = f.CreateCounter("edgeai_central_events_duplicate_total", "Redelivered events ignored by event id");
        _deadLettersByReason = f.CreateCounter("edgeai_central_dead_letters_total", "Rejected messages stored in the dead-letter table, by reason class", "reason");
        _incidentsOpened = f.CreateCounter("edgeai_central_incidents_opened_total", "Incidents opened");
        _casesFiled = f.CreateCounter("edgeai_central_cases_filed_total", "Cases acknowledged by the platform");
        _filingFailures = f.CreateCounter("edgeai_central_outbox_failures_total", "Failed outbox attempts (platform or broker)");
        _queueFullWaits = f.CreateCounter("edgeai_central_queue_full_waits_total", "Times the MQTT thread waited for room in the inbound queue");
        _verificationResent = f.CreateCounter("edgeai_central_verification_resent_total", "Verification commands sent again after no reply");
        _verificationTimedOut = f.CreateCounter("edgeai_central_verification_timeouts_total", "Verification commands given up without a reply");
        _evidencePruned = f.CreateCounter("edgeai_central_evidence_pruned_total", "Evidence images deleted by the retention limits");
        _deadLettersPruned = f.CreateCounter("edgeai_central_dead_letters_pruned_total", "Dead letters deleted by the retention limits");
        _queueDepth = f.CreateGauge("edgeai_central_queue_depth", "Messages between the MQTT thread and the store");
        _cases = f.CreateGauge("edgeai_central_cases", "Cases by state (counted in the store at each scrape)", "state");
        _openIncidents = f.CreateGauge("edgeai_central_open_incidents", "Incidents not yet closed (counted in the store at each scrape)");
        _outboxPending = f.CreateGauge("edgeai_central_outbox_pending", "Platform/broker outbox rows still to send");
        _mqttConnected = f.CreateGauge("edgeai_central_mqtt_connected", "1 while connected to the broker");
        _reviews = f.CreateCounter("edgeai_central_reviews_total", "Review decisions on held or recorded cases, by outcome and dismissal reason", "outcome", "reason");
        _escalationsByReason = f.CreateCounter("edgeai_central_escalations_total", "Cases escalated (督办), by reason: overdue or reopened", "reason");
        _cameraFault = f.CreateGauge("edgeai_central_camera_fault",
            "1 for each camera offline, stalled or with a video quality flag for longer than device_faults.after_s", "device_id", "camera_id", "reason");
        foreach (var (state, n) in Cases) _cases.WithLabels(state.ToText()).Set(n);   // every state from the first scrape, 0 included
        Registry.AddBeforeCollectCallback(() =>
        {
            _queueDepth.Set(QueueDepth?.Invoke() ?? 0);
            _mqttConnected.Set(MqttConnected?.Invoke() == true ? 1 : 0);
            SetCameraFaults(CameraFaults?.Invoke() ?? []);
        });
    }

    /// <summary>This instance's metrics (what /metrics serves); the host adds a before-collect callback that counts cases in the store.</summary>
    public CollectorRegistry Registry { get; } = Metrics.NewCustomRegistry();

    /// <summary>Cases by state: every known state, 0 included, so a dashboard query never sees a series vanish.</summary>
    public IReadOnlyDictionary<CaseState, long> Cases { get; private set; } = WithAllStates(new Dictionary<CaseState, long>());

    public long OpenIncidents { get; private set; }

    public long OutboxPending { get; private set; }

    /// <summary>Set by the camera fault monitor: cameras in fault past the threshold.</summary>
    public Func<IReadOnlyList<(string Device, string Camera, string Reason)>>? CameraFaults { get; set; }

    /// <summary>Set by the host: the broker connection state.</summary>
    public Func<bool>? MqttConnected { get; set; }

    /// <summary>Store counts for the gauges; refreshed before each /metrics scrape and by the systemd status loop.</summary>
    public void SetCounts(StoreCounts counts)
    {
        var cases = WithAllStates(counts.CasesByState);
        foreach (var (state, n) in cases) _cases.WithLabels(state.ToText()).Set(n);
        _openIncidents.Set(counts.OpenIncidents);
        _outboxPending.Set(counts.OutboxPending);
        Cases = cases;
        OpenIncidents = counts.OpenIncidents;
        OutboxPending = counts.OutboxPending;
    }

    private static Dictionary<CaseState, long> WithAllStates(IReadOnlyDictionary<CaseState, long> byState) =>
        CaseStates.All.ToDictionary(s => s, s => byState.GetValueOrDefault(s));

    /// <summary>Set by the inbound queue.</summary>
    public Func<int>? QueueDepth { get; set; }

    public long Received => (long)_received.Value;
    public long EventsAccepted => (long)_eventsAccepted.Value;
    public long Duplicates => (long)_duplicates.Value;
    public long DeadLetters => Interlocked.Read(ref _deadLetters);
    public long IncidentsOpened => (long)_incidentsOpened.Value;
    public long CasesFiled => (long)_casesFiled.Value;
    public long OutboxFailures => (long)_filingFailures.Value;
    public long QueueFullWaits => (long)_queueFullWaits.Value;
    public long EvidenceStored => Interlocked.Read(ref _evidenceStored);

    public long VerificationResends => (long)_verificationResent.Value;
    public long VerificationTimeouts => (long)_verificationTimedOut.Value;
    public long EvidencePruned => (long)_evidencePruned.Value;
    public long DeadLettersPruned => (long)_deadLettersPruned.Value;

    public void VerificationResent() => _verificationResent.Inc();
    public void VerificationTimedOut() => _verificationTimedOut.Inc();
    public void Pruned(long evidence, long deadLetters)
    {
        _evidencePruned.Inc(evidence);
        _deadLettersPruned.Inc(deadLetters);
    }

    public void MessageReceived() => _received.Inc();
    public void EventsStored(int n) => _eventsAccepted.Inc(n);
    public void DuplicatesIgnored(int n) => _duplicates.Inc(n);
    public void IncidentOpened(int n) => _incidentsOpened.Inc(n);
    public void CaseFiled() => _casesFiled.Inc();
    public void OutboxFailed() => _filingFailures.Inc();
    public void QueueFull() => _queueFullWaits.Inc();
    public void EvidenceSaved() => Interlocked.Increment(ref _evidenceStored);

    public void DeadLettered(string reasonClass)
    {
        Interlocked.Increment(ref _deadLetters);
        _deadLettersByReason.WithLabels(reasonClass).Inc();
    }

    public long Escalations => Interlocked.Read(ref _escalations);
    public long Dismissals => Interlocked.Read(ref _dismissals);

    public void Reviewed(ReviewOutcome outcome, string? reason)
    {
        if (outcome == ReviewOutcome.Dismissed) Interlocked.Increment(ref _dismissals);
        _reviews.WithLabels(outcome.ToText(), reason ?? "").Inc();
    }

    public void Escalated(string reason)
    {
        Interlocked.Increment(ref _escalations);
        _escalationsByReason.WithLabels(reason).Inc();
    }

    /// <summary>One series per camera in fault; a camera that recovered loses its series (not left at a stale 1).</summary>
    private void SetCameraFaults(IReadOnlyList<(string Device, string Camera, string Reason)> faults)
    {
        var now = faults.Select(f => new[] { f.Device, f.Camera, f.Reason }).ToList();
        foreach (var labels in _cameraFault.GetAllLabelValues().ToList())
            if (!now.Any(n => n.SequenceEqual(labels))) _cameraFault.RemoveLabelled(labels);
        foreach (var labels in now) _cameraFault.WithLabels(labels).Set(1);
    }
}
