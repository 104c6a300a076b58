// Runs once before all tests.
// - Pins the host zone so runs are reproducible. Domain code must not rely on it: day boundaries
//   are computed explicitly in Asia/Shanghai (the time tests re-check them under other zones).
//   Workers inherit this environment.
// - Bundles the functions and the emulator, so every test runs the code that would deploy.
module.exports = async () => {
  process.env.TZ = 'Asia/Shanghai';
  const { bundleEmulator, bundleFunctions } = await import('../scripts/bundle.mjs');
  await bundleFunctions();
  await bundleEmulator();
};
