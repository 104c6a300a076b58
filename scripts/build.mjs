// `npm run build`: bundle the cloud functions and the emulator, and print each bundle's size.
import { bundleEmulator, bundleFunctions, bundlePreview } from './bundle.mjs';

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

console.log('Cloud functions (deploy these folders):');
for (const { file, bytes, mapBytes } of await bundleFunctions())
  console.log(`  ${file.padEnd(30)} ${kb(bytes).padStart(9)}   (source map ${kb(mapBytes)})`);
if (!process.argv.includes('--functions')) {
  const { file, bytes } = await bundleEmulator();
  console.log('Local emulator:');
  console.log(`  ${file.padEnd(30)} ${kb(bytes)}`);
  const preview = await bundlePreview();
  console.log('Browser preview (served at /preview/):');
  console.log(`  ${preview.file.padEnd(30)} ${kb(preview.bytes)}`);
}
