// Evidence in the incident view, driven by tests/EdgeAi.Browser.Tests/EvidenceBrowserTests (which starts Central, the
// stand-in platform and a broker, and plays the gateway). Debian's chromium through npm playwright-core. As alice
// (evidence_unblurred): opens the incident, sees the clip on the gateway, requests it, sees it play (metadata through Range
// requests), sees the before and after pictures loaded. As bob (no permission): no player, no request button.
// Prints "STEP ...", "MEASURE name ms", "PASS" at the end; on failure "FAIL <reason>", a screenshot, exit 1.
'use strict';
const path = require('path');

const { env, loadChromium, conclude } = require('./common.cjs');
const repo = env('EDGEAI_REPO_ROOT');
const url = env('DASHBOARD_URL');
const alice = env('ALICE_TOKEN');
const bob = env('BOB_TOKEN');
const clipId = env('CLIP_ID');
const snapshotId = env('SNAPSHOT_ID');
const afterId = env('AFTER_ID');
const shots = env('SCREENSHOT_DIR');
const timeout = Number(env('STEP_TIMEOUT_MS', '60000'));

const chromium = loadChromium(repo);

(async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--autoplay-policy=no-user-gesture-required'] });
  const page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
  page.setDefaultTimeout(timeout);
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text()); });
  const ranges = [];
  page.on('request', (r) => { if (r.url().includes(`/api/v1/evidence/${clipId}`) && r.method() === 'GET') ranges.push(r.headers().range || '(none)'); });
  const shot = (name) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
  const step = (s) => console.log(`STEP ${s}`);
  const signIn = async (token, who) => {
    await page.goto(url);
    await page.fill('#token', token);
    await page.click('#login-form button[type=submit]');
    await page.locator(`body[data-principal="${who}"]`).waitFor({ state: 'attached' });
  };
  const openIncident = async () => {
    await page.locator('[data-testid="incident"]').first().click();
    await page.locator('#incident-detail[open]').waitFor();
  };
  await conclude(browser, shot, '99-evidence-failure', errors, async () => {
    step('sign in as alice');
    await signIn(alice, 'alice');
    await openIncident();

    step('before and after pictures');
    await page.locator(`[data-testid="before-image"][data-evidence-id="${snapshotId}"][data-loaded="1920"]`).waitFor({ state: 'attached' });
    await page.locator(`[data-testid="after-image"][data-evidence-id="${afterId}"][data-loaded="1920"]`).waitFor({ state: 'attached' });
    await page.locator(`[data-testid="evidence-image"][data-evidence-id="${snapshotId}"][data-loaded]`).waitFor({ state: 'attached' });

    step('clip on the gateway: request it');
    const clip = page.locator(`[data-testid="clip"][data-evidence-id="${clipId}"]`);
    await clip.locator('[data-testid="request-clip"]').waitFor();
    await shot('20-evidence-clip-on-gateway');
    const t0 = Date.now();
    await clip.locator('[data-testid="request-clip"]').click();
    const video = clip.locator('video[data-testid="evidence-clip"]');
    await video.and(page.locator('[data-ready="1"]')).waitFor({ state: 'attached' });
    console.log(`MEASURE clip_request_to_playable_ms ${Date.now() - t0}`);
    console.log(`MEASURE clip_fetch_ms ${await clip.getAttribute('data-fetch-ms')}`);
    const failed = await video.getAttribute('data-failed');
    if (failed) throw new Error(`the clip did not play (media error ${failed})`);
    const duration = Number(await video.getAttribute('data-duration'));
    if (!(duration > 5 && duration < 7)) throw new Error(`clip duration ${duration} s, expected about 6 s`);
    const width = await video.getAttribute('data-width');
    if (width !== '1280') throw new Error(`clip width ${width}, expected 1280`);
    if (!ranges.some((r) => r.startsWith('bytes='))) throw new Error(`the player made no Range request: ${ranges.join(', ')}`);
    console.log(`STEP clip requests: ${ranges.join(', ')}`);
    await shot('21-evidence-clip-playing');

    step('reopen the incident: the clip is stored now and plays at once');
    await page.locator('#incident-detail .close').click();
    await openIncident();
    await page.locator(`video[data-testid="evidence-clip"][data-evidence-id="${clipId}"][data-ready="1"]`).waitFor({ state: 'attached' });
    await page.locator('#incident-detail .close').click();
    await page.click('#logout');

    step('sign in as bob: not permitted');
    await signIn(bob, 'bob');
    await openIncident();
    await page.locator(`[data-testid="clip"][data-evidence-id="${clipId}"] [data-testid="clip-denied"]`).waitFor();
    if (await page.locator('[data-testid="request-clip"]').count() > 0) throw new Error('bob is offered the clip request');
    if (await page.locator('video[data-testid="evidence-clip"]').count() > 0) throw new Error('bob is shown the unblurred clip player');
    await page.locator(`[data-testid="before-image"][data-evidence-id="${snapshotId}"][data-loaded="1920"]`).waitFor({ state: 'attached' });
    await shot('22-evidence-denied');

  });
})();
