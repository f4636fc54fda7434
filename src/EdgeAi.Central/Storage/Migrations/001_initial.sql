-- Central schema v1, for SQLite and PostgreSQL: the column types in braces are filled in by the dialect (ISqlDialect.ColumnTypes). Times are Unix milliseconds (UTC); ids are text (GUIDs or device/camera ids).
CREATE TABLE incidents (
    incident_id     TEXT PRIMARY KEY,
    scenario        TEXT NOT NULL,
    state           TEXT NOT NULL,              -- open | closed
    lat             {real} NOT NULL,
    lon             {real} NOT NULL,
    zone_id         TEXT NOT NULL,
    first_seen      {int} NOT NULL,
    last_seen       {int} NOT NULL,
    closed_at       {int} NULL,
    close_reason    TEXT NULL,
    event_count     {int} NOT NULL,
    revision        {int} NOT NULL,           -- scenario_revisions.revision of the last change
    created_at      {int} NOT NULL,
    updated_at      {int} NOT NULL
);
CREATE INDEX ix_incidents_scenario_revision ON incidents (scenario, revision);
CREATE INDEX ix_incidents_last_seen ON incidents (last_seen);

CREATE TABLE incident_cameras (
    incident_id     TEXT NOT NULL,
    device_id       TEXT NOT NULL,
    camera_id       TEXT NOT NULL,
    lat             {real} NOT NULL,
    lon             {real} NOT NULL,
    zone_id         TEXT NOT NULL,
    last_box        TEXT NULL,                  -- "x1,y1,x2,y2" normalised
    last_episode_id TEXT NOT NULL,
    first_seen      {int} NOT NULL,
    last_seen       {int} NOT NULL,
    event_count     {int} NOT NULL,
    PRIMARY KEY (incident_id, device_id, camera_id)
);

-- One episode belongs to exactly one incident: the primary key is what makes two instances unable to split it.
CREATE TABLE episodes (
    episode_id      TEXT PRIMARY KEY,
    incident_id     TEXT NOT NULL,
    device_id       TEXT NOT NULL,
    camera_id       TEXT NOT NULL,
    ended           {int} NOT NULL DEFAULT 0,
    first_seen      {int} NOT NULL,
    last_seen       {int} NOT NULL
);
CREATE INDEX ix_episodes_incident ON episodes (incident_id);

CREATE TABLE scenario_revisions (
    scenario        TEXT PRIMARY KEY,
    revision        {int} NOT NULL
);

CREATE TABLE events (
    event_id        TEXT PRIMARY KEY,
    episode_id      TEXT NOT NULL,
    incident_id     TEXT NOT NULL,
    device_id       TEXT NOT NULL,
    camera_id       TEXT NOT NULL,
    scenario        TEXT NOT NULL,
    type            TEXT NOT NULL,
    sequence        {int} NOT NULL,
    detection_time  {int} NOT NULL,
    received_at     {int} NOT NULL,
    payload         TEXT NOT NULL
);
CREATE INDEX ix_events_incident ON events (incident_id, detection_time);
CREATE INDEX ix_events_device ON events (device_id, sequence);

CREATE TABLE event_evidence (
    event_id        TEXT NOT NULL,
    evidence_id     TEXT NOT NULL,
    sha256          TEXT NOT NULL,
    bytes           {int} NOT NULL,
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
    bytes           {int} NOT NULL,
    sha256          TEXT NOT NULL,
    data            {blob} NOT NULL,
    received_at     {int} NOT NULL
);

CREATE TABLE dead_letters (
    id              {id},
    topic           TEXT NOT NULL,
    device_id       TEXT NULL,
    reason          TEXT NOT NULL,
    payload         {blob} NOT NULL,              -- first consumer.dead_letter_keep_bytes bytes
    payload_bytes   {int} NOT NULL,
    received_at     {int} NOT NULL
);

CREATE TABLE devices (
    device_id       TEXT PRIMARY KEY,
    online          {int} NULL,
    status          TEXT NULL,
    status_at       {int} NULL,
    health          TEXT NULL,
    health_at       {int} NULL,
    last_event_at   {int} NULL,
    last_sequence   {int} NULL
);

CREATE TABLE cameras (
    device_id       TEXT NOT NULL,
    camera_id       TEXT NOT NULL,
    name            TEXT NOT NULL,
    lat             {real} NOT NULL,
    lon             {real} NOT NULL,
    last_event_at   {int} NOT NULL,
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
    attempts          {int} NOT NULL DEFAULT 0,
    last_error        TEXT NULL,
    created_at        {int} NOT NULL,
    updated_at        {int} NOT NULL,
    filed_at          {int} NULL
);
CREATE INDEX ix_cases_platform_case ON cases (platform_case_id);
CREATE INDEX ix_cases_state ON cases (state);

CREATE TABLE case_timeline (
    id              {id},
    case_id         TEXT NOT NULL,
    at              {int} NOT NULL,
    state           TEXT NOT NULL,
    source          TEXT NOT NULL,              -- central | platform | verification
    detail          TEXT NULL
);
CREATE INDEX ix_case_timeline_case ON case_timeline (case_id, id);

-- Work to do outside the database (file a case, notify the platform, ask a device to verify), written in the
-- same transaction as the state change that needs it.
CREATE TABLE outbox (
    id              {id},
    case_id         TEXT NOT NULL,
    kind            TEXT NOT NULL,              -- file | notify | verify
    payload         TEXT NULL,
    attempts        {int} NOT NULL DEFAULT 0,
    created_at      {int} NOT NULL,
    next_attempt_at {int} NOT NULL,
    locked_by       TEXT NULL,
    locked_until    {int} NULL,
    last_error      TEXT NULL,
    done_at         {int} NULL,
    dead            {int} NOT NULL DEFAULT 0
);
CREATE INDEX ix_outbox_due ON outbox (done_at, dead, next_attempt_at);

CREATE TABLE commands (
    command_id      TEXT PRIMARY KEY,
    case_id         TEXT NOT NULL,
    incident_id     TEXT NOT NULL,
    device_id       TEXT NOT NULL,
    camera_id       TEXT NOT NULL,
    requested_at    {int} NOT NULL,
    sent_at         {int} NULL,
    result          TEXT NULL,
    detail          TEXT NULL,
    replied_at      {int} NULL
);
CREATE INDEX ix_commands_case ON commands (case_id);
