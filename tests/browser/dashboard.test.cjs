// Dashboard browser test, driven by tests/EdgeAi.Browser.Tests (which starts the real system and passes it in the
// environment). Debian's chromium through npm playwright-core (tools/browser/node_modules, installed by `make setup`);
// never a downloaded browser. Talks to the xunit test over stdout/stdin: it prints "STOP-CAMERA <id>" and waits for
// "stopped" on stdin. Prints "STEP ..." as it goes, "PASS" at the end; on failure "FAIL <reason>", a screenshot, exit 1.
'use strict';
const path = require('path');
const readline = require('readline');

const { env, loadChromium } = require('./common.cjs');
const repo = env('EDGEAI_REPO_ROOT');
const url = env('DASHBOARD_URL');
const token = env('DASHBOARD_TOKEN');
const shots = env('SCREENSHOT_DIR');
const cameras = env('EXPECT_CAMERAS').split(',');          // device/camera ids that must get a tile
const stopCamera = env('STOP_CAMERA');                     // device/camera id the test stops
const frozenCamera = env('FROZEN_CAMERA', '');             // device/camera id expected degraded with "frozen"
const incidentCamera = env('INCIDENT_CAMERA');             // device/camera id whose tile must show an evidence thumbnail
const timeout = Number(env('STEP_TIMEOUT_MS', '120000'));

const chromium = loadChromium(repo);

const lines = readline.createInterface({ input: process.stdin });
const fromTest = [];
let waiting = null;
lines.on('line', (l) => { if (waiting) { const w = waiting; waiting = null; w(l.trim()); } else fromTest.push(l.trim()); });
const nextLine = () => (fromTest.length ? Promise.resolve(fromTest.shift()) : new Promise((r) => { waiting = r; }));

const tileSelector = (id, extra = '') => {
  const [device, camera] = id.split('/');
  return `[data-testid="camera-tile"][data-device-id="${device}"][data-camera-id="${camera}"]${extra}`;
};
const step = (s) => console.log(`STEP ${s}`);

(async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const consoleErrors = [];
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  page.setDefaultTimeout(timeout);
  const shot = (name) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
  try {
    step('open the dashboard: sign-in required');
    await page.goto(url);
    await page.locator('#login-form').waitFor({ state: 'visible' });
    await page.fill('#token', 'not-the-token');
    await page.click('#login-form button[type=submit]');
    await page.locator('#login-error', { hasText: 'Wrong API token' }).waitFor();
    await shot('01-sign-in-refused');
    await page.fill('#token', token);
    await page.click('#login-form button[type=submit]');
    await page.locator('#app').waitFor({ state: 'visible' });
    await page.locator('#connection[data-state="live"]').waitFor();
    await page.evaluate(() => { window.__sameDocument = true; });   // proves later changes arrive live, without a reload
    consoleErrors.length = 0;   // the 401s before sign-in are expected; from here on any console error fails the test

    step(`every camera gets a tile from the worker's health, streaming: ${cameras.join(', ')}`);
    for (const id of cameras) await page.locator(tileSelector(id, '[data-state="streaming"]')).waitFor();
    const tiles = await page.locator('[data-testid="camera-tile"]').count();
    if (tiles !== cameras.length) throw new Error(`expected ${cameras.length} tiles, found ${tiles}`);
    if (frozenCamera) {
      step(`frozen camera ${frozenCamera} is degraded with the quality flag "frozen"`);
      await page.locator(tileSelector(frozenCamera, '[data-health="degraded"]')).locator('[data-testid="quality-flags"]', { hasText: 'frozen' }).waitFor();
    }
    await shot('02-cameras-streaming');

    step(`stop camera ${stopCamera}: its tile turns unhealthy and moves first`);
    console.log(`STOP-CAMERA ${stopCamera}`);
    const answer = await nextLine();
    if (answer !== 'stopped') throw new Error(`test answered "${answer}" instead of "stopped"`);
    await page.locator(tileSelector(stopCamera, '[data-health="unhealthy"]')).waitFor();
    // Unhealthy tiles come first (any other camera a loaded machine made unhealthy too may share the top).
    const order = await page.locator('[data-testid="camera-tile"]').evaluateAll((ts) => ts.map((t) => t.dataset.health));
    const firstOther = order.findIndex((h) => h !== 'unhealthy');
    if (firstOther === 0 || (firstOther > 0 && order.slice(firstOther).includes('unhealthy'))) throw new Error(`unhealthy tiles not first: ${order.join(', ')}`);
    const problems = await page.locator(tileSelector(stopCamera)).locator('[data-testid="problems"]').innerText();
    step(`problems shown: ${problems.replace(/\s+/g, ' ')}`);
    await shot('03-camera-stopped-unhealthy');

    step('an incident arrives live; open it and see its evidence image');
    const incident = page.locator('[data-testid="incident"]').first();
    await incident.waitFor();
    const incidentThumb = incident.locator('img');
    await incidentThumb.waitFor();
    await page.waitForFunction((img) => img.complete && img.naturalWidth > 0, await incidentThumb.elementHandle());
    await incident.click();
    const evidence = page.locator('[data-testid="incident-detail"] [data-testid="evidence-image"]').first();
    await evidence.waitFor();
    await page.waitForFunction((img) => img.complete && img.naturalWidth > 0, await evidence.elementHandle());
    const size = await evidence.evaluate((img) => `${img.naturalWidth}x${img.naturalHeight}`);
    step(`evidence image loaded: ${size}`);
    await shot('04-incident-evidence');
    await page.keyboard.press('Escape');

    step(`camera ${incidentCamera} shows its latest evidence as thumbnail`);
    const thumb = page.locator(tileSelector(incidentCamera)).locator('img.thumb');
    await thumb.waitFor();
    await page.waitForFunction((img) => img.complete && img.naturalWidth > 0, await thumb.elementHandle());

    step('the incident\'s case appears with its status timeline');
    await page.locator('[data-testid="case"] [data-testid="timeline"] li').first().waitFor();
    const timeline = await page.locator('[data-testid="case"] [data-testid="timeline"]').first().innerText();
    step(`timeline: ${timeline.replace(/\s+/g, ' → ')}`);

    if (!(await page.evaluate(() => window.__sameDocument === true))) throw new Error('the page reloaded; updates were not live');
    if (consoleErrors.length) throw new Error(`browser console errors: ${consoleErrors.join(' | ')}`);
    await shot('05-dashboard');
    console.log('PASS');
  } catch (e) {
    console.log(`FAIL ${e.message.split('\n')[0]}`);
    await shot('99-failure').catch(() => {});
    process.exitCode = 1;
  } finally {
    await browser.close();
    lines.close();
  }
})();
