// Page tests run in jsdom yet also host the emulator in-process: give that environment the Node
// globals the backend code uses (jsdom leaves them out). A no-op in the node environment.
const { TextDecoder, TextEncoder } = require('node:util');
const { clearImmediate, setImmediate } = require('node:timers');
const { deserialize, serialize } = require('node:v8');

const missing = {
  TextEncoder,
  TextDecoder,
  setImmediate,
  clearImmediate,
  structuredClone: (value) => deserialize(serialize(value)),
};
for (const [name, value] of Object.entries(missing)) {
  if (typeof globalThis[name] === 'undefined') globalThis[name] = value;
}
