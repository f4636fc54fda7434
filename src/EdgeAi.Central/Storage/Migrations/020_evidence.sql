-- Central schema 020 (SQLite and PostgreSQL, column types filled by the dialect; numbered apart so that migrations other branches add meanwhile keep their numbers): evidence
-- a case worker can act on (event schema 1.1). Times are Unix milliseconds (UTC).

-- One row per evidence id Central has heard of, from an event's reference (snapshot, crop, clip; on any event of the
-- episode) or a verify reply's (after): what it is, where it came from and whether it shows passers-by unblurred.
-- The blob itself is in evidence (attached ones arrive on the evidence topic; on_device ones only when fetched).
CREATE TABLE evidence_meta (
    evidence_id     TEXT PRIMARY KEY,
    device_id       TEXT NOT NULL,
    camera_id       TEXT NOT NULL,
    incident_id     TEXT NULL,
    case_id         TEXT NULL,                  -- after-pictures: the case whose closure was checked
    command_id      TEXT NULL,                  -- after-pictures: the verify command answered with it
    event_id        TEXT NULL,                  -- the first event that referenced it
    kind            TEXT NOT NULL,              -- snapshot | crop | clip | after
    content_type    TEXT NOT NULL,
    bytes           {int} NOT NULL,
    sha256          TEXT NOT NULL,
    width           {int} NULL,
    height          {int} NULL,
    start_time      {int} NULL,               -- clips: first and last frame
    end_time        {int} NULL,
    blurred         {int} NULL,               -- 1 blurred, 0 shows people as seen (needs evidence_unblurred), NULL not said
    delivery        TEXT NOT NULL,              -- attached | on_device
    created_at      {int} NOT NULL
);
CREATE INDEX ix_evidence_meta_incident ON evidence_meta (incident_id);
CREATE INDEX ix_evidence_meta_case ON evidence_meta (case_id);

-- fetch_evidence commands Central sent for on_device evidence, and how they ended.
CREATE TABLE evidence_requests (
    command_id      TEXT PRIMARY KEY,
    evidence_id     TEXT NOT NULL,
    device_id       TEXT NOT NULL,
    camera_id       TEXT NOT NULL,
    requested_by    TEXT NOT NULL,
    requested_at    {int} NOT NULL,
    state           TEXT NOT NULL,              -- pending | delivered | error | timeout | offline
    detail          TEXT NULL,
    done_at         {int} NULL
);
CREATE INDEX ix_evidence_requests_evidence ON evidence_requests (evidence_id, requested_at);

-- Every request for and every view of unblurred evidence, allowed or denied (who, what, when, why).
CREATE TABLE evidence_access (
    id              {id},
    at              {int} NOT NULL,
    principal       TEXT NOT NULL,
    action          TEXT NOT NULL,              -- view | fetch
    evidence_id     TEXT NOT NULL,
    device_id       TEXT NULL,
    camera_id       TEXT NULL,
    allowed         {int} NOT NULL,
    reason          TEXT NOT NULL
);
CREATE INDEX ix_evidence_access_evidence ON evidence_access (evidence_id, id);
CREATE INDEX ix_evidence_access_principal ON evidence_access (principal, id);

-- References stored before this migration: attached, blurredness not said.
INSERT INTO evidence_meta (evidence_id, device_id, camera_id, incident_id, event_id, kind, content_type, bytes, sha256, delivery, created_at)
SELECT ee.evidence_id, e.device_id, e.camera_id, e.incident_id, e.event_id, ee.kind, ee.content_type, ee.bytes, ee.sha256, 'attached', e.received_at
FROM event_evidence ee JOIN events e ON e.event_id = ee.event_id WHERE 1 = 1
ON CONFLICT (evidence_id) DO NOTHING;
