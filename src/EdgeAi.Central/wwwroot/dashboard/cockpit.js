// EdgeAi operator cockpit (一屏统览): indicators with normal / yellow / red thresholds from Central's config, a map of
// the grids, cameras and open incidents drawn from the GeoJSON grid layer with no tile server, charts, filters and the
// review queue. Plain JavaScript on top of echarts (from npm, served by Central; no CDN). Text goes in via textContent.
'use strict';
(() => {
  // $ and el come from app.js, loaded before this file (both deferred, in document order).
  const REFRESH_MS = 3000;
  const STATE_COLOURS = { held: '#7b1fa2', recorded: '#9e9e9e', detected: '#1565c0', filed: '#1565c0', accepted: '#0277bd', dispatched: '#00838f', resolved: '#2e7d32', reopened: '#ef6c00', unverifiable: '#f9a825', closed: '#9e9e9e', dismissed: '#bdbdbd' };
  const HEALTH_COLOURS = { healthy: '#2e7d32', degraded: '#ef6c00', unhealthy: '#c62828' };
  const LABELS = { open_incidents: 'Open incidents', overdue_cases: 'Overdue cases (督办)', unhealthy_cameras: 'Cameras unhealthy', false_positive_rate: 'False-positive rate' };
  let charts = null;
  let gridsLoaded = false;
  let gridCount = 0;
  let timer = null;
  let busy = false;

  async function getJson(path) {
    const r = await fetch(path, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
    return r.json();
  }

  function query() {
    const p = new URLSearchParams();
    for (const [k, v] of new FormData($('filters'))) if (v) p.set(k, v);
    return p.toString();
  }

  async function loadGrids() {
    const geo = await getJson('/api/v1/grids');
    const select = $('filters').elements.grid;
    for (const f of geo.features) select.append(el('option', { value: f.properties.code }, `${f.properties.name || f.properties.code}`));
    gridCount = geo.features.length;
    if (window.echarts && gridCount > 0) {
      // features are named by their code so that the per-grid data joins on it
      const named = { ...geo, features: geo.features.map((f) => ({ ...f, properties: { ...f.properties, name: f.properties.code } })) };
      window.echarts.registerMap('grids', named);
    }
    gridsLoaded = true;
    return geo.features.length;
  }

  function renderIndicators(list) {
    $('indicators').replaceChildren(...list.map((i) => el('div', { class: 'indicator', dataset: { testid: 'indicator', name: i.name, level: i.level } },
      el('div', { class: 'muted' }, LABELS[i.name] || i.name),
      el('div', { class: 'value', dataset: { testid: 'indicator-value' } }, i.name === 'false_positive_rate' ? `${Math.round(i.value * 100)} %` : String(i.value)),
      el('div', { class: 'muted' }, `yellow ≥ ${i.yellow ?? '–'} · red ≥ ${i.red ?? '–'}`))));
  }

  function renderQueue(queue) {
    const list = $('review-queue');
    list.replaceChildren(...queue.map((c) => {
      const reason = el('select', { 'aria-label': 'dismiss reason', dataset: { testid: 'review-reason' } },
        ...['false_detection', 'duplicate', 'not_in_scope', 'other'].map((r) => el('option', { value: r }, r.replace(/_/g, ' '))));
      const note = el('input', { type: 'text', placeholder: 'note', 'aria-label': 'note', dataset: { testid: 'review-note' } });
      const act = async (body) => {
        const r = await fetch(`/api/v1/cases/${encodeURIComponent(c.case_id)}/review`, {
          method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json', 'X-EdgeAi-Dashboard': '1' }, body: JSON.stringify({ ...body, note: note.value || undefined }),
        });
        if (!r.ok) $('cockpit-status').textContent = `review failed: HTTP ${r.status}`;
        refresh();
      };
      return el('li', { dataset: { testid: 'review-item', caseId: c.case_id, scenario: c.scenario } },
        el('div', {}, el('strong', {}, c.scenario.replace(/_/g, ' ')), ` · ${c.device_id}/${c.camera_id}`, c.grid_code ? ` · grid ${c.grid_code}` : '', c.department ? ` · → ${c.department}` : ''),
        el('div', { class: 'muted' }, `case ${c.case_id} · ${c.category.class}/${c.category.subclass} · review due ${c.review.due_at ? new Date(c.review.due_at).toLocaleTimeString() : '–'}`),
        el('div', { class: 'review-actions' }, note,
          el('button', { type: 'button', dataset: { testid: 'review-confirm' }, onclick: () => act({ action: 'confirm' }) }, 'Confirm & file'),
          reason,
          el('button', { type: 'button', dataset: { testid: 'review-dismiss' }, onclick: () => act({ action: 'dismiss', reason: reason.value }) }, 'Dismiss')));
    }));
    if (queue.length === 0) list.append(el('li', { class: 'muted' }, 'Nothing waits for review.'));
  }

  function renderCharts(d) {
    if (!window.echarts) { $('cockpit-status').textContent = 'charts and map need echarts: run make setup and rebuild Central'; return; }
    if (!charts) charts = { map: window.echarts.init($('map')), days: window.echarts.init($('chart-days')), grids: window.echarts.init($('chart-grids')) };
    const gridLevel = d.per_grid.map((g) => ({ name: g.grid_code, value: g.overdue > 0 ? 2 : g.open > 0 ? 1 : 0, open: g.open, overdue: g.overdue }));
    // with a grid layer: the grids coloured by their worst case (red overdue, yellow open), cameras and incidents on
    // top; without one: cameras and incidents on plain lon/lat axes
    const system = gridCount > 0 ? { coordinateSystem: 'geo' } : {};
    const points = [
      { name: 'cameras', type: 'scatter', ...system, symbol: 'rect', symbolSize: 9,
        data: d.cameras.filter((c) => c.lat !== null).map((c) => ({ name: `${c.device_id}/${c.camera_id}`, value: [c.lon, c.lat], itemStyle: { color: HEALTH_COLOURS[c.health] || '#555' } })) },
      { name: 'incidents', type: 'scatter', ...system, symbolSize: 8, large: d.incidents.length > 500,
        data: d.incidents.filter((i) => i.state === 'open').map((i) => ({ name: `${i.scenario} ${i.case_state || ''}`, value: [i.lon, i.lat], itemStyle: { color: i.escalated ? '#c62828' : (STATE_COLOURS[i.case_state] || '#1565c0') } })) },
    ];
    charts.map.setOption(gridCount > 0 ? {
      animation: false,
      tooltip: { trigger: 'item' },
      geo: { map: 'grids', roam: true, label: { show: false }, itemStyle: { borderColor: '#607d8b', areaColor: '#eceff1' } },
      visualMap: { show: false, min: 0, max: 2, seriesIndex: 0, inRange: { color: ['#e8f5e9', '#fff59d', '#ef9a9a'] } },
      series: [{ type: 'map', map: 'grids', geoIndex: 0, data: gridLevel }, ...points],
    } : {
      animation: false,
      title: { text: 'No grid layer configured (grids.file)', textStyle: { fontSize: 12 } },
      tooltip: { trigger: 'item' },
      xAxis: { type: 'value', scale: true, name: 'lon' }, yAxis: { type: 'value', scale: true, name: 'lat' },
      series: points,
    }, { replaceMerge: ['series'] });
    const days = [...new Set(d.per_scenario_day.map((x) => x.day))];
    const scenarios = [...new Set(d.per_scenario_day.map((x) => x.scenario))];
    charts.days.setOption({
      animation: false, title: { text: 'Cases per scenario and day', textStyle: { fontSize: 12 } }, tooltip: { trigger: 'axis' }, legend: { bottom: 0, type: 'scroll' },
      xAxis: { type: 'category', data: days }, yAxis: { type: 'value' },
      series: scenarios.map((s) => ({ name: s, type: 'bar', stack: 'all', data: days.map((day) => (d.per_scenario_day.find((x) => x.day === day && x.scenario === s) || { count: 0 }).count) })),
    }, { replaceMerge: ['series'] });
    const top = [...d.per_grid].sort((a, b) => b.total - a.total).slice(0, 20);
    charts.grids.setOption({
      animation: false, title: { text: 'Per grid (top 20)', textStyle: { fontSize: 12 } }, tooltip: { trigger: 'axis' }, legend: { bottom: 0 },
      xAxis: { type: 'value' }, yAxis: { type: 'category', data: top.map((g) => g.grid_code), axisLabel: { fontSize: 9 } },
      series: [
        { name: 'open', type: 'bar', stack: 'g', data: top.map((g) => g.open - g.overdue), itemStyle: { color: '#1565c0' } },
        { name: 'overdue', type: 'bar', stack: 'g', data: top.map((g) => g.overdue), itemStyle: { color: '#c62828' } },
        { name: 'closed', type: 'bar', stack: 'g', data: top.map((g) => g.closed), itemStyle: { color: '#9e9e9e' } },
      ],
    }, { replaceMerge: ['series'] });
  }

  async function refresh() {
    if ($('app').hidden || busy) return;
    busy = true;
    const started = performance.now();
    try {
      if (!gridsLoaded) await loadGrids();
      const d = await getJson(`/api/v1/cockpit?${query()}`);
      renderIndicators(d.indicators);
      renderQueue(d.review_queue);
      $('closure').textContent = `Closure rate ${Math.round(d.closure_rate * 100)} % · mean time to close ${d.mean_time_to_close_s === null || d.mean_time_to_close_s === undefined ? '–' : `${Math.round(d.mean_time_to_close_s / 60)} min`} · ${d.incidents.length} incidents on the map${d.incidents.length >= d.map_limit ? ' (newest only)' : ''}`;
      renderCharts(d);
      const ms = performance.now() - started;
      $('cockpit').dataset.renderedMs = String(Math.round(ms));
      $('cockpit').dataset.rendered = String(Number($('cockpit').dataset.rendered || 0) + 1);
      $('cockpit').dataset.query = query();
    } catch (err) {
      $('cockpit-status').textContent = String(err.message || err);
    } finally {
      busy = false;
    }
  }

  $('filters').addEventListener('change', () => refresh());
  document.addEventListener('edgeai:signed-in', () => {
    refresh();
    if (!timer) timer = setInterval(refresh, REFRESH_MS);
  });
  window.addEventListener('resize', () => { if (charts) Object.values(charts).forEach((c) => c.resize()); });
  // the page may already be signed in when this script runs (app.js ran first)
  if (!$('app').hidden) document.dispatchEvent(new Event('edgeai:signed-in'));
})();
