namespace EdgeAi.Worker.Hosting;

/// <summary>
/// The worker's status page at <c>/</c>: one self-contained HTML file (no build step, no external assets) that polls
/// <c>/api/health</c> and <c>/readyz</c> every 2 s and shows each camera's state, fps, drops, reconnects, last-frame
/// age and last error, unhealthy cameras first.
/// </summary>
internal static class StatusPage
{
    public const string Html = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>EdgeAi worker</title>
        <style>
          body { font: 14px system-ui, sans-serif; margin: 1.5em; color: #222; }
          h1 { font-size: 1.3em; margin: 0 0 .3em; } .muted { color: #666; }
          table { border-collapse: collapse; margin-top: 1em; min-width: 60em; }
          th, td { border-bottom: 1px solid #ddd; padding: .35em .7em; text-align: right; }
          th:first-child, td:first-child, td.state, td.err { text-align: left; }
          .streaming { color: #17803d; } .connecting, .backoff { color: #b26b00; } .failed, .stopped { color: #c0262d; font-weight: bold; }
          #ready.ok { color: #17803d; } #ready.bad { color: #c0262d; }
        </style></head>
        <body>
        <h1>EdgeAi worker <span id="device"></span></h1>
        <div><span id="ready">…</span> · <span class="muted" id="summary"></span></div>
        <table><thead><tr><th>camera</th><th>state</th><th>fps in</th><th>fps analysed</th><th>frames in</th><th>dropped</th>
          <th>reconnects</th><th>last frame</th><th>inference p50/p99 ms</th><th>last error</th></tr></thead>
          <tbody id="cameras"></tbody></table>
        <p class="muted">Raw data: <a href="/api/health">/api/health</a> · <a href="/readyz">/readyz</a> · <a href="/metrics">/metrics</a></p>
        <script>
        const rank = { failed: 0, stopped: 1, backoff: 2, connecting: 3, streaming: 4 };
        const esc = s => String(s ?? '').replace(/[&<>"]/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));
        const age = s => s == null ? 'never' : s < 90 ? s.toFixed(1) + ' s' : (s / 60).toFixed(1) + ' min';
        async function refresh() {
          try {
            const [h, r] = await Promise.all([fetch('/api/health').then(x => x.json()), fetch('/readyz')]);
            const ready = await r.json();
            document.getElementById('device').textContent = h.device_id;
            const el = document.getElementById('ready');
            el.textContent = r.ok ? 'ready' : 'not ready: ' + (ready.problems || []).join('; ');
            el.className = r.ok ? 'ok' : 'bad';
            const ob = h.outbox || {};
            document.getElementById('summary').textContent =
              `${h.cameras.filter(c => c.state === 'streaming').length}/${h.cameras.length} cameras streaming · outbox ${ob.events ?? 0} events · up ${age(h.uptime_s)} · v${h.version ?? '?'}`;
            const rows = [...h.cameras].sort((a, b) => (rank[a.state] ?? 9) - (rank[b.state] ?? 9) || a.camera_id.localeCompare(b.camera_id));
            document.getElementById('cameras').innerHTML = rows.map(c => `<tr data-camera="${esc(c.camera_id)}">
              <td>${esc(c.camera_id)}</td><td class="state ${esc(c.state)}">${esc(c.state)}</td><td>${c.fps_in}</td><td>${c.fps_analysed}</td>
              <td>${c.frames_in}</td><td>${c.dropped}</td><td>${c.reconnects}</td><td>${age(c.last_frame_age_s)}</td>
              <td>${(c.inference_p50_ms ?? 0).toFixed(1)} / ${(c.inference_p99_ms ?? 0).toFixed(1)}</td><td class="err">${esc(c.last_error)}</td></tr>`).join('');
          } catch (e) {
            document.getElementById('ready').textContent = 'worker not answering: ' + e;
            document.getElementById('ready').className = 'bad';
          }
        }
        refresh(); setInterval(refresh, 2000);
        </script></body></html>
        """;
}
