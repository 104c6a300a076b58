// Page tests run in jsdom yet also host the emulator in-process: give that environment the Node
// globals the backend code uses (jsdom leaves them out). A no-op in the node environment.
const util = require('node:util');
const timers = require('node:timers');

const missing = {
  TextEncoder: util.TextEncoder,
  TextDecoder: util.TextDecoder,
  setImmediate: timers.setImmediate,
  clearImmediate: timers.clearImmediate,
  structuredClone:
    globalThis.structuredClone ??
    ((value) => require('node:v8').deserialize(require('node:v8').serialize(value))),
};
for (const [name, value] of Object.entries(missing)) {
  if (typeof globalThis[name] === 'undefined') globalThis[name] = value;
}
