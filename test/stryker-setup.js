// The global setup of the mutation runs (jest.stryker.config.js): as test/global-setup.js, but
// the bundles are built once per Stryker sandbox — every run in it tests the same instrumented
// code, with another mutant switched on.
const { existsSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

module.exports = async () => {
  process.env.TZ = 'Asia/Shanghai';
  const marker = join(__dirname, '..', '.stryker-bundled');
  if (existsSync(marker)) return;
  const { bundleEmulator, bundleFunctions } = await import('../scripts/bundle.mjs');
  await bundleFunctions();
  await bundleEmulator();
  writeFileSync(marker, new Date().toISOString());
};
