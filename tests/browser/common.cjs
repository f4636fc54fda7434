// Shared by the browser test scripts: reading the environment the xunit test passes, and Debian's chromium through npm
// playwright-core (tools/browser/node_modules, installed by `make setup`; never a downloaded browser).
'use strict';
const path = require('path');

/** The environment variable, else the fallback; neither: "FAIL missing environment variable NAME" and exit 2. */
const env = (name, fallback) => {
  const v = process.env[name] ?? fallback;
  if (v === undefined) { console.log(`FAIL missing environment variable ${name}`); process.exit(2); }
  return v;
};

/** playwright-core's chromium from the repository's tools/browser; not installed: FAIL with the fix, exit 2. */
const loadChromium = (repo) => {
  try {
    return require(path.join(repo, 'tools', 'browser', 'node_modules', 'playwright-core')).chromium;
  } catch (e) {
    console.log(`FAIL playwright-core is not installed in tools/browser/node_modules (run make setup): ${e.message}`);
    process.exit(2);
  }
};

/**
 * Runs a script's steps and ends it: "PASS" (exit 0) when they finish and the page logged no errors; otherwise
 * "FAIL <reason>", a screenshot named failureShot, exit 1. The browser is closed either way.
 */
const conclude = async (browser, shot, failureShot, errors, steps) => {
  try {
    await steps();
    if (errors.length) throw new Error(`browser errors: ${errors.join(' | ')}`);
    console.log('PASS');
    await browser.close();
    process.exit(0);
  } catch (e) {
    console.log(`FAIL ${e.message}`);
    try { await shot(failureShot); } catch { /* ignore */ }
    await browser.close();
    process.exit(1);
  }
};

module.exports = { env, loadChromium, conclude };
