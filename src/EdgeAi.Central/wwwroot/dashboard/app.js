// EdgeAi operator dashboard: plain JavaScript, no build step. Views come whole from Central's live stream
// (/api/v1/stream, Server-Sent Events) and replace what is shown; the session cookie set by /dashboard/login
// authenticates the stream, the JSON calls and the <img> requests alike. All text goes in via textContent.
'use strict';

const $ = (id) => document.getElementById(id);

/** Creates an element with attributes and children (strings become text nodes). */
function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'dataset') Object.assign(e.dataset, v);
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

const fmt = {
  num: (v, digits = 0) => (typeof v === 'number' ? v.toFixed(digits) : '–'),
  age: (s) => (typeof s !== 'number' ? '–' : s < 90 ? `${s.toFixed(1)} s` : s < 5400 ? `${Math.round(s / 60)} min` : `${Math.round(s / 3600)} h`),
  time: (iso) => (iso ? new Date(iso).toLocaleString() : '–'),
};

async function api(path) {
  const r = await fetch(path, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
  if (r.status === 401) { showLogin(); throw new Error('signed out'); }
  if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
  return r.json();
}

// ---- camera tiles ---------------------------------------------------------------------------------------------

function renderCameras(tiles) {
  const counts = { unhealthy: 0, degraded: 0, healthy: 0 };
  const grid = $('cameras');
  grid.replaceChildren(...tiles.map((t) => {
    counts[t.health] = (counts[t.health] || 0) + 1;
    return tile(t);
  }));
  if (tiles.length === 0) grid.append(el('p', { class: 'muted' }, 'No camera has reported health yet.'));
  $('summary').textContent = `${tiles.length} cameras: ${counts.unhealthy} unhealthy, ${counts.degraded} degraded, ${counts.healthy} healthy`;
}

function tile(t) {
  const q = t.quality || {};
  const metrics = [
    ['state', t.state],
    ['fps in / analysed', `${fmt.num(t.fps_in, 1)} / ${fmt.num(t.fps_analysed, 1)}`],
    ['frames in / analysed', `${fmt.num(t.frames_in)} / ${fmt.num(t.frames_analysed)}`],
    ['dropped', fmt.num(t.dropped)],
    ['reconnects', fmt.num(t.reconnects)],
    ['last frame', fmt.age(t.last_frame_age_s)],
    ['latency p50 / p99', `${fmt.num(t.inference_p50_ms, 1)} / ${fmt.num(t.inference_p99_ms, 1)} ms`],
    ['health report', fmt.age(t.health_age_s)],
    ['brightness / sharpness', `${fmt.num(q.brightness)} / ${fmt.num(q.sharpness)}`],
  ];
  return el('article', {
    class: 'tile', dataset: { testid: 'camera-tile', deviceId: t.device_id, cameraId: t.camera_id, health: t.health, state: t.state },
  },
  el('h3', {}, el('span', {}, t.name), el('span', { class: `badge ${t.health}`, dataset: { testid: 'health' } }, t.health)),
  el('div', { class: 'id' }, `${t.device_id} / ${t.camera_id}`),
  t.thumbnail
    ? el('img', { class: 'thumb', src: t.thumbnail, alt: `latest evidence from ${t.camera_id}`, loading: 'lazy' })
    : el('div', { class: 'thumb' }, 'no evidence image yet'),
  (t.problems || []).length ? el('ul', { class: 'problems', dataset: { testid: 'problems' } }, t.problems.map((p) => el('li', {}, p))) : null,
  (t.quality_flags || []).length ? el('div', { dataset: { testid: 'quality-flags' } }, t.quality_flags.map((f) => el('span', { class: 'chip' }, f.replace('_', ' ')))) : null,
  el('dl', { class: 'metrics' }, metrics.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])));
}

// ---- incidents -------------------------------------------------------------------------------------------------

function renderIncidents(items) {
  const list = $('incidents');
  list.replaceChildren(...items.map(({ incident: i, thumbnail, case: c }) => el('li', {
    dataset: { testid: 'incident', incidentId: i.incident_id, scenario: i.scenario },
    tabindex: 0, role: 'button', onclick: () => openIncident(i.incident_id),
    onkeydown: (e) => { if (e.key === 'Enter') openIncident(i.incident_id); },
  },
  thumbnail ? el('img', { src: thumbnail, alt: `${i.scenario} evidence`, loading: 'lazy' }) : el('div', { class: 'noimg' }),
  el('div', {},
    el('div', {}, el('strong', {}, i.scenario.replace('_', ' ')), ' · ', el('span', { class: 'state' }, i.state),
      c ? ` · case ${c.state}` : ' · no case'),
    el('div', { class: 'muted' }, `${fmt.time(i.first_seen)} – ${fmt.time(i.last_seen)} · ${i.event_count} ${i.event_count === 1 ? 'event' : 'events'}`)))));
  if (items.length === 0) list.append(el('li', { class: 'muted' }, 'No incidents.'));
}

async function openIncident(id) {
  const body = $('incident-body');
  body.replaceChildren(el('p', { class: 'muted' }, 'Loading…'));
  $('incident-detail').showModal();
  try {
    const d = await api(`/api/v1/incidents/${encodeURIComponent(id)}`);
    const i = d.incident;
    body.replaceChildren(
      el('h2', {}, `${i.scenario.replace('_', ' ')} · ${i.state}`),
      el('p', { class: 'muted' }, `incident ${i.incident_id} · zone ${i.zone_id} · ${i.lat.toFixed(5)}, ${i.lon.toFixed(5)} · ${fmt.time(i.first_seen)} – ${fmt.time(i.last_seen)}`),
      el('p', {}, 'Cameras: ', d.cameras.map((c) => `${c.device_id}/${c.camera_id} (${c.event_count} events)`).join(', ') || '–'),
      el('p', {}, d.case ? `Case ${d.case.case_id}: ${d.case.state}${d.case.platform_case_id ? ` (platform ${d.case.platform_case_id})` : ''}` : 'No case filed.'),
      el('div', { class: 'evidence' }, d.evidence.length
        ? [...d.evidence].sort((a, b) => (a.kind === 'snapshot' ? 0 : 1) - (b.kind === 'snapshot' ? 0 : 1)).map((e) => el('figure', {},
          el('img', { src: e.url, alt: `${e.kind} ${e.evidence_id}`, dataset: { testid: 'evidence-image', evidenceId: e.evidence_id } }),
          el('figcaption', { class: 'muted' }, `${e.kind} · ${Math.round(e.bytes / 1024)} KiB`)))
        : el('p', { class: 'muted' }, 'No evidence images.')));
  } catch (err) {
    body.replaceChildren(el('p', { class: 'error' }, String(err.message || err)));
  }
}

// ---- cases -----------------------------------------------------------------------------------------------------

function renderCases(items) {
  const list = $('cases');
  list.replaceChildren(...items.map(({ case: c, timeline }) => el('li', {
    class: c.escalated_at ? 'escalated' : null,
    dataset: { testid: 'case', caseId: c.case_id, state: c.state, escalated: c.escalated_at ? 'true' : 'false' },
  },
    el('div', {}, el('strong', {}, c.scenario.replace('_', ' ')), ' · ', el('span', { class: 'state' }, c.state),
      c.escalated_at ? el('span', { class: 'badge unhealthy', title: c.escalation || '' }, ' overdue · 督办') : null,
      c.grid_code ? ` · grid ${c.grid_code}` : '', c.department ? ` · ${c.department}` : '',
      c.platform_case_id ? ` · platform ${c.platform_case_id}` : '', c.last_error ? el('span', { class: 'error' }, ` · ${c.last_error}`) : null),
    el('div', { class: 'muted' }, `case ${c.case_id} · filed ${fmt.time(c.filed_at)}${c.deadline_at ? ` · due ${fmt.time(c.deadline_at)}` : ''}${c.evaluation ? ` · evaluation ${c.evaluation}` : ''}`),
    el('ol', { class: 'timeline', dataset: { testid: 'timeline' } }, (timeline || []).map((s) => el('li', { title: `${fmt.time(s.at)} · ${s.source}${s.detail ? ` · ${s.detail}` : ''}` }, s.state))))));
  if (items.length === 0) list.append(el('li', { class: 'muted' }, 'No cases.'));
}

// ---- live stream and sign-in -----------------------------------------------------------------------------------

let source = null;

function setConnection(state, text) {
  const c = $('connection');
  c.dataset.state = state;
  c.textContent = text;
}

function connect() {
  if (source) source.close();
  source = new EventSource('/api/v1/stream');
  source.addEventListener('open', () => setConnection('live', 'live'));
  source.addEventListener('cameras', (e) => renderCameras(JSON.parse(e.data)));
  source.addEventListener('incidents', (e) => renderIncidents(JSON.parse(e.data)));
  source.addEventListener('cases', (e) => renderCases(JSON.parse(e.data)));
  source.addEventListener('error', async () => {
    setConnection('reconnecting', 'reconnecting…');
    // EventSource does not say why; a 401 means the session ended (it would stop retrying on its own).
    try { await api('/api/v1/dashboard/cameras'); if (source.readyState === EventSource.CLOSED) connect(); } catch { /* api() shows the sign-in on 401 */ }
  });
}

function showLogin() {
  if (source) { source.close(); source = null; }
  setConnection('offline', 'signed out');
  $('app').hidden = true;
  $('logout').hidden = true;
  $('login').hidden = false;
  $('token').focus();
}

async function start() {
  try {
    renderCameras(await api('/api/v1/dashboard/cameras'));
  } catch { return; }
  $('login').hidden = true;
  $('app').hidden = false;
  $('logout').hidden = false;
  connect();
  document.dispatchEvent(new Event('edgeai:signed-in'));
}

$('login-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  $('login-error').textContent = '';
  const r = await fetch('/dashboard/login', {
    method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token: $('token').value }),
  });
  $('token').value = '';
  if (r.ok) start();
  else $('login-error').textContent = r.status === 401 ? 'Wrong API token.' : `Sign-in failed: HTTP ${r.status}`;
});

$('logout').addEventListener('click', async () => {
  await fetch('/dashboard/logout', { method: 'POST', credentials: 'same-origin' });
  showLogin();
});

start();
