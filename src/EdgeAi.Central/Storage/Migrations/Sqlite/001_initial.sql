-- Central schema v1 (SQLite). Times are Unix milliseconds (UTC); ids are text (GUIDs or device/camera ids).
CREATE TABLE incidents (
    incident_id     TEXT PRIMARY KEY,
    scenario        TEXT NOT NULL,
    state           TEXT NOT NULL,              -- open | closed
    lat             REAL NOT NULL,
    lon             REAL NOT NULL,
    zone_id         TEXT NOT NULL,
    first_seen      INTEGER NOT NULL,
    last_seen       INTEGER NOT NULL,
    closed_at       INTEGER NULL,
    close_reason    TEXT NULL,
    event_count     INTEGER NOT NULL,
    revision        INTEGER NOT NULL,           -- scenario_revisions.revision of the last change
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX ix_incidents_scenario_revision ON incidents (scenario, revision);
CREATE INDEX ix_incidents_last_seen ON incidents (last_seen);

CREATE TABLE incident_cameras (
    incident_id     TEXT NOT NULL,
    device_id       TEXT NOT NULL,
    camera_id       TEXT NOT NULL,
    lat             REAL NOT NULL,
    lon             REAL NOT NULL,
    zone_id         TEXT NOT NULL,
    last_box        TEXT NULL,                  -- "x1,y1,x2,y2" normalised
    last_episode_id TEXT NOT NULL,
    first_seen      INTEGER NOT NULL,
    last_seen       INTEGER NOT NULL,
    event_count     INTEGER NOT NULL,
    PRIMARY KEY (incident_id, device_id, camera_id)
);

-- One episode belongs to exactly one incident: the primary key is what makes two instances unable to split it.
CREATE TABLE episodes (
    episode_id      TEXT PRIMARY KEY,
    incident_id     TEXT NOT NULL,
    device_id       TEXT NOT NULL,
    camera_id       TEXT NOT NULL,
    ended           INTEGER NOT NULL DEFAULT 0,
    first_seen      INTEGER NOT NULL,
    last_seen       INTEGER NOT NULL
);
CREATE INDEX ix_episodes_incident ON episodes (incident_id);

CREATE TABLE scenario_revisions (
    scenario        TEXT PRIMARY KEY,
    revision        INTEGER NOT NULL
);

CREATE TABLE events (
    event_id        TEXT PRIMARY KEY,
    episode_id      TEXT NOT NULL,
    incident_id     TEXT NOT NULL,
    device_id       TEXT NOT NULL,
    camera_id       TEXT NOT NULL,
    scenario        TEXT NOT NULL,
    type            TEXT NOT NULL,
    sequence        INTEGER NOT NULL,
    detection_time  INTEGER NOT NULL,
    received_at     INTEGER NOT NULL,
    payload         TEXT NOT NULL
);
CREATE INDEX ix_events_incident ON events (incident_id, detection_time);
CREATE INDEX ix_events_device ON events (device_id, sequence);

CREATE TABLE event_evidence (
    event_id        TEXT NOT NULL,
    evidence_id     TEXT NOT NULL,
    sha256          TEXT NOT NULL,
    bytes           INTEGER NOT NULL,
    content_type    TEXT NOT NULL,
    kind            TEXT NOT NULL,
    PRIMARY KEY (event_id, evidence_id)
);
CREATE INDEX ix_event_evidence_evidence ON event_evidence (evidence_id);

CREATE TABLE evidence (
    evidence_id     TEXT PRIMARY KEY,
    device_id       TEXT NOT NULL,
    event_id        TEXT NULL,
    content_type    TEXT NOT NULL,
    bytes           INTEGER NOT NULL,
    sha256          TEXT NOT NULL,
    data            BLOB NOT NULL,
    received_at     INTEGER NOT NULL
);

CREATE TABLE dead_letters (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    topic           TEXT NOT NULL,
    device_id       TEXT NULL,
    reason          TEXT NOT NULL,
    payload         BLOB NOT NULL,              -- first consumer.dead_letter_keep_bytes bytes
    payload_bytes   INTEGER NOT NULL,
    received_at     INTEGER NOT NULL
);

CREATE TABLE devices (
    device_id       TEXT PRIMARY KEY,
    online          INTEGER NULL,
    status          TEXT NULL,
    status_at       INTEGER NULL,
    health          TEXT NULL,
    health_at       INTEGER NULL,
    last_event_at   INTEGER NULL,
    last_sequence   INTEGER NULL
);

CREATE TABLE cameras (
    device_id       TEXT NOT NULL,
    camera_id       TEXT NOT NULL,
    name            TEXT NOT NULL,
    lat             REAL NOT NULL,
    lon             REAL NOT NULL,
    last_event_at   INTEGER NOT NULL,
    PRIMARY KEY (device_id, camera_id)
);

CREATE TABLE cases (
    case_id           TEXT PRIMARY KEY,
    incident_id       TEXT NOT NULL UNIQUE,     -- one incident, at most one case
    scenario          TEXT NOT NULL,
    state             TEXT NOT NULL,
    platform          TEXT NOT NULL,
    platform_case_id  TEXT NULL,
    category_class    TEXT NOT NULL,
    category_subclass TEXT NOT NULL,
    category_code     TEXT NOT NULL,
    attempts          INTEGER NOT NULL DEFAULT 0,
    last_error        TEXT NULL,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    filed_at          INTEGER NULL
);
CREATE INDEX ix_cases_platform_case ON cases (platform_case_id);
CREATE INDEX ix_cases_state ON cases (state);

CREATE TABLE case_timeline (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id         TEXT NOT NULL,
    at              INTEGER NOT NULL,
    state           TEXT NOT NULL,
    source          TEXT NOT NULL,              -- central | platform | verification
    detail          TEXT NULL
);
CREATE INDEX ix_case_timeline_case ON case_timeline (case_id, id);

-- Work to do outside the database (file a case, notify the platform, ask a device to verify), written in the
-- same transaction as the state change that needs it.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id         TEXT NOT NULL,
    kind            TEXT NOT NULL,              -- file | notify | verify
    payload         TEXT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    locked_by       TEXT NULL,
    locked_until    INTEGER NULL,
    last_error      TEXT NULL,
    done_at         INTEGER NULL,
    dead            INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX ix_outbox_due ON outbox (done_at, dead, next_attempt_at);

CREATE TABLE commands (
    command_id      TEXT PRIMARY KEY,
    case_id         TEXT NOT NULL,
    incident_id     TEXT NOT NULL,
    device_id       TEXT NOT NULL,
    camera_id       TEXT NOT NULL,
    requested_at    INTEGER NOT NULL,
    sent_at         INTEGER NULL,
    result          TEXT NULL,
    detail          TEXT NULL,
    replied_at      INTEGER NULL
);
CREATE INDEX ix_commands_case ON commands (case_id);
