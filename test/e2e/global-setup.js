// Runs once before the browser tests: everything `npm start` runs, built from the sources (the
// functions, the emulator, and the preview's runtime). The zone is pinned as for `npm test`.
module.exports = async () => {
  process.env.TZ = 'Asia/Shanghai';
  const { bundleEmulator, bundleFunctions, bundlePreview } =
    await import('../../scripts/bundle.mjs');
  await bundleFunctions();
  await bundleEmulator();
  await bundlePreview();
};
