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

module.exports = { env, loadChromium };
