// Cockpit browser test, driven by tests/EdgeAi.Browser.Tests/CockpitBrowserTests (which starts Central, the stand-in
// platform and a broker, and publishes the events). Debian's chromium through npm playwright-core. Signs in, sees the
// grid map drawn from the GeoJSON, reviews (confirms) the held incident and sees it filed, sees the overdue case turn
// red and the overdue indicator leave "normal"; with LOAD=1 it only measures first paint and a filter's response time.
// Prints "STEP ...", "MEASURE name ms", "PASS" at the end; on failure "FAIL <reason>", a screenshot, exit 1.
'use strict';
const path = require('path');

const { env, loadChromium, conclude } = require('./common.cjs');
const repo = env('EDGEAI_REPO_ROOT');
const url = env('DASHBOARD_URL');
const token = env('DASHBOARD_TOKEN');
const shots = env('SCREENSHOT_DIR');
const load = env('LOAD', '') === '1';
const filterGrid = env('FILTER_GRID', '');
const timeout = Number(env('STEP_TIMEOUT_MS', '120000'));

const chromium = loadChromium(repo);

(async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  const page = await browser.newPage({ viewport: { width: 1600, height: 1100 } });
  page.setDefaultTimeout(timeout);
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  // script errors fail the test; failed resource loads do not (the 401 before sign-in and the favicon's 404 are expected)
  page.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text()); });
  const shot = (name) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
  const step = (s) => console.log(`STEP ${s}`);
  await conclude(browser, shot, '99-cockpit-failure', errors, async () => {
    step('sign in');
    await page.goto(url);
    await page.fill('#token', token);
    const signedIn = Date.now();
    await page.click('#login-form button[type=submit]');
    // the page's CSP forbids eval, so the script waits on attributes the cockpit sets, never on evaluated functions
    const cockpit = page.locator('#cockpit');
    await page.locator('#cockpit[data-rendered]').waitFor({ state: 'attached' });
    const firstPaint = Date.now() - signedIn;
    await page.locator('#map canvas').first().waitFor();
    const status = await page.locator('#cockpit-status').textContent();
    if (status) throw new Error(`cockpit says: ${status}`);
    console.log(`MEASURE first_paint_ms ${firstPaint}`);
    console.log(`MEASURE first_render_ms ${await cockpit.getAttribute('data-rendered-ms')}`);

    if (load) {
      step('filter by grid');
      for (const [i, grid] of [filterGrid, ''].entries()) {
        const t0 = Date.now();
        await page.selectOption('#filters select[name=grid]', grid);
        await page.locator(`#cockpit[data-query="${grid ? `grid=${grid}` : ''}"]`).waitFor({ state: 'attached' });
        console.log(`MEASURE filter_${i === 0 ? 'grid' : 'all'}_ms ${Date.now() - t0}`);
        console.log(`MEASURE filter_${i === 0 ? 'grid' : 'all'}_render_ms ${await cockpit.getAttribute('data-rendered-ms')}`);
      }
      await shot('11-cockpit-load');
    } else {
      step('review the held incident');
      const item = page.locator('[data-testid="review-item"][data-scenario="litter"]');
      await item.waitFor();
      const caseId = await item.getAttribute('data-case-id');
      await shot('10-cockpit-review-queue');
      await item.locator('[data-testid="review-note"]').fill('bags on the pavement');
      await item.locator('[data-testid="review-confirm"]').click();
      await page.locator(`[data-testid="review-item"][data-case-id="${caseId}"]`).waitFor({ state: 'detached' });
      step('see it filed');
      await page.locator(`[data-testid="case"][data-case-id="${caseId}"][data-state="filed"]`).waitFor();

      step('see the overdue case turn red');
      const overdue = page.locator('[data-testid="case"][data-escalated="true"]').first();
      await overdue.waitFor();
      if (!(await overdue.getAttribute('class') || '').includes('escalated')) throw new Error('the overdue case is not marked escalated (red)');
      await overdue.locator('.badge.unhealthy').waitFor();
      await page.locator('[data-testid="indicator"][data-name="overdue_cases"]:not([data-level="normal"])').waitFor();
      await shot('12-cockpit-overdue');
    }
  });
})();
