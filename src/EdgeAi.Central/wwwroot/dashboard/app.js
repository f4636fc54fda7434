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

// ---- incident detail: pictures, clip, before/after ---------------------------------------------------------------

/** Who is signed in (GET /api/v1/me): name and whether they may see unblurred evidence. */
let me = { principal: null, evidence_unblurred: false };

const KIND_ORDER = { snapshot: 0, crop: 1, clip: 2, after: 3 };

/** An image that marks itself loaded (data-loaded) or failed (data-failed), for the operator and the browser test. */
function picture(url, alt, testid, evidenceId) {
  const img = el('img', { src: url, alt, dataset: { testid, evidenceId } });
  img.addEventListener('load', () => { img.dataset.loaded = String(img.naturalWidth); });
  img.addEventListener('error', () => { img.dataset.failed = '1'; });
  return img;
}

/** A clip player: <video controls> on the evidence URL; Central answers Range requests, so the operator can seek. */
function player(e) {
  const v = el('video', { controls: true, preload: 'metadata', src: e.url, dataset: { testid: 'evidence-clip', evidenceId: e.evidence_id } });
  v.addEventListener('loadedmetadata', () => { v.dataset.ready = '1'; v.dataset.duration = String(v.duration); v.dataset.width = String(v.videoWidth); });
  v.addEventListener('error', () => { v.dataset.failed = String(v.error ? v.error.code : 1); });
  return v;
}

function clipCaption(e) {
  const span = e.start_time && e.end_time ? ` · ${fmt.time(e.start_time)} – ${fmt.time(e.end_time)}` : '';
  const res = e.width ? ` · ${e.width}×${e.height}` : '';
  return `clip${res}${span} · ${Math.round(e.bytes / 1024)} KiB${e.blurred === false ? ' · unblurred (access audited)' : ''}`;
}

/** May the signed-in user see this evidence? Blurred (or not said): yes; unblurred: with the permission, for that camera. */
function mayView(e) {
  if (e.blurred !== false) return true;
  return me.evidence_unblurred && (!me.unblurred_cameras || me.unblurred_cameras.includes(`${e.device_id}/${e.camera_id}`));
}

/** A clip: the player when stored (and allowed), else what can be done: request it from the gateway, or why not. */
function clipFigure(e) {
  const fig = el('figure', { dataset: { testid: 'clip', evidenceId: e.evidence_id, delivery: e.delivery, stored: String(e.stored) } });
  const caption = el('figcaption', { class: 'muted' }, clipCaption(e));
  const allowed = mayView(e);
  if (e.stored && allowed) {
    fig.append(player(e), caption);
  } else if (!allowed) {
    fig.append(el('p', { class: 'muted', dataset: { testid: 'clip-denied' } },
      e.stored ? 'Unblurred clip: you are not permitted to view it.' : 'Clip on the gateway (unblurred): you are not permitted to request it.'), caption);
  } else if (e.fetch_url) {
    const status = el('p', { class: 'muted', role: 'status', dataset: { testid: 'clip-status' } }, 'Clip on the gateway — request it to play it here.');
    const button = el('button', { type: 'button', dataset: { testid: 'request-clip' } }, 'Request clip from the gateway');
    button.addEventListener('click', async () => {
      button.disabled = true;
      status.textContent = 'Requesting the clip from the gateway…';
      const started = performance.now();
      try {
        const r = await fetch(e.fetch_url, { method: 'POST', credentials: 'same-origin', headers: { Accept: 'application/json', 'X-EdgeAi-Dashboard': '1' } });
        const body = await r.json().catch(() => ({}));
        if (!r.ok) throw new Error(body.error || `HTTP ${r.status}`);
        fig.dataset.fetchMs = String(Math.round(performance.now() - started));
        status.textContent = `Clip received from the gateway in ${(performance.now() - started).toFixed(0)} ms.`;
        button.replaceWith(player({ ...e, stored: true }));
      } catch (err) {
        status.textContent = `Could not get the clip: ${err.message || err}`;
        status.className = 'error';
        status.dataset.testid = 'clip-error';
        button.disabled = false;
      }
    });
    fig.append(status, button, caption);
  } else {
    fig.append(el('p', { class: 'muted' }, 'Clip not received yet.'), caption);
  }
  return fig;
}

function evidenceFigure(e) {
  if (e.kind === 'clip' || (e.content_type || '').startsWith('video/')) return clipFigure(e);
  if (!mayView(e)) {
    return el('figure', {}, el('p', { class: 'muted', dataset: { testid: 'evidence-denied' } }, 'Unblurred picture: you are not permitted to view it.'));
  }
  return el('figure', {},
    picture(e.url, `${e.kind} ${e.evidence_id}`, 'evidence-image', e.evidence_id),
    el('figcaption', { class: 'muted' }, `${e.kind}${e.width ? ` · ${e.width}×${e.height}` : ''} · ${Math.round(e.bytes / 1024)} KiB`));
}

/** Before (the incident's snapshot) and after (what each closure check saw), side by side. */
function beforeAfter(p) {
  if (!p || (!p.before && p.after.length === 0)) return null;
  const side = (label, e, testid) => el('figure', { dataset: { testid } },
    e && e.stored ? picture(e.url, `${label}: ${e.evidence_id}`, `${testid}-image`, e.evidence_id) : el('div', { class: 'noimg' }, 'no picture'),
    el('figcaption', { class: 'muted' }, `${label}${e && e.width ? ` · ${e.width}×${e.height}` : ''}${e && e.command_id ? ` · check ${e.command_id.slice(0, 8)}` : ''}`));
  return el('section', { class: 'before-after', dataset: { testid: 'before-after' } },
    el('h3', {}, 'Before and after'),
    el('div', { class: 'evidence' }, side('before', p.before, 'before'), ...p.after.map((a) => side('after', a, 'after'))));
}

/** Operator's decision on a closure the camera could not check. */
function closureActions(c, reload) {
  if (!c || c.state !== 'unverifiable') return null;
  const note = el('input', { type: 'text', placeholder: 'note (optional)', dataset: { testid: 'closure-note' } });
  const out = el('span', { class: 'muted' });
  const decide = (decision) => async () => {
    const r = await fetch(`/api/v1/cases/${encodeURIComponent(c.case_id)}/closure`, {
      method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json', 'X-EdgeAi-Dashboard': '1' },
      body: JSON.stringify({ decision, note: note.value || undefined }),
    });
    if (r.ok) reload(); else out.textContent = `HTTP ${r.status}: ${((await r.json().catch(() => ({}))).error) || ''}`;
  };
  return el('div', { class: 'review-actions', dataset: { testid: 'closure-actions' } },
    el('strong', {}, 'Camera could not verify the closure:'), note,
    el('button', { type: 'button', onclick: decide('verified'), dataset: { testid: 'closure-verified' } }, 'Gone (verified)'),
    el('button', { type: 'button', onclick: decide('reopened'), dataset: { testid: 'closure-reopened' } }, 'Still there (reopen)'), out);
}

async function openIncident(id) {
  const body = $('incident-body');
  body.replaceChildren(el('p', { class: 'muted' }, 'Loading…'));
  if (!$('incident-detail').open) $('incident-detail').showModal();
  try {
    const d = await api(`/api/v1/incidents/${encodeURIComponent(id)}`);
    const i = d.incident;
    const evidence = [...d.evidence].sort((a, b) => (KIND_ORDER[a.kind] ?? 9) - (KIND_ORDER[b.kind] ?? 9));
    body.replaceChildren(...[   // (replaceChildren would write a null as the text "null")
      el('h2', {}, `${i.scenario.replace('_', ' ')} · ${i.state}`),
      el('p', { class: 'muted' }, `incident ${i.incident_id} · zone ${i.zone_id} · ${i.lat.toFixed(5)}, ${i.lon.toFixed(5)} · ${fmt.time(i.first_seen)} – ${fmt.time(i.last_seen)}`),
      el('p', {}, 'Cameras: ', d.cameras.map((c) => `${c.device_id}/${c.camera_id} (${c.event_count} events)`).join(', ') || '–'),
      el('p', { dataset: { testid: 'incident-case', state: d.case ? d.case.state : '' } },
        d.case ? `Case ${d.case.case_id}: ${d.case.state}${d.case.platform_case_id ? ` (platform ${d.case.platform_case_id})` : ''}` : 'No case filed.'),
      closureActions(d.case, () => openIncident(id)),
      beforeAfter(d.pictures),
      el('div', { class: 'evidence' }, evidence.length ? evidence.map(evidenceFigure) : el('p', { class: 'muted' }, 'No evidence images.')),
    ].filter(Boolean));
  } catch (err) {
    body.replaceChildren(el('p', { class: 'error' }, String(err.message || err)));
  }
}

// ---- cases -----------------------------------------------------------------------------------------------------

function renderCases(items) {
  const list = $('cases');
  list.replaceChildren(...items.map(({ case: c, timeline }) => el('li', {
    class: c.escalated_at ? 'escalated' : c.state === 'unverifiable' ? 'attention' : null,
    dataset: { testid: 'case', caseId: c.case_id, state: c.state, escalated: c.escalated_at ? 'true' : 'false' },
  },
    el('div', {}, el('strong', {}, c.scenario.replace('_', ' ')), ' · ', el('span', { class: 'state' }, c.state),
      c.escalated_at ? el('span', { class: 'badge unhealthy', title: c.escalation || '' }, ' overdue · 督办') : null,
      c.state === 'unverifiable' ? el('span', { class: 'badge degraded', title: 'the camera could not verify the closure: an operator decides (open the incident)' }, ' operator check') : null,
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
  try { me = await api('/api/v1/me'); } catch { /* older Central: no unblurred access */ }
  document.body.dataset.principal = me.principal || '';
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
