import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { transformSync } from 'esbuild';
import { readFunctionConfig, type FunctionConfig } from '../../emulator/functions';
import { EMULATED_OPENAPI } from '../../emulator/wx-server-sdk';

/**
 * Each deployed function's config.json (WeChat's format: `permissions.openapi`, `triggers`) against
 * what its bundle can call and what cloudbaserc.json says: CloudBase refuses a cloud call the
 * calling function did not declare (-604101), so every `openapi.<namespace>.<method>` a bundle
 * contains must be declared, and only APIs the emulator answers may be declared.
 */

const ROOT = join(__dirname, '..', '..');

interface CloudbaseRc {
  functions: Array<{ name: string; triggers?: unknown[] }>;
}
const rc = JSON.parse(readFileSync(join(ROOT, 'cloudbaserc.json'), 'utf8')) as CloudbaseRc;
const names = rc.functions.map((f) => f.name);

/**
 * The namespaces of WeChat's server APIs that cloud calls reach (`cloud.openapi.<namespace>`):
 * https://developers.weixin.qq.com/miniprogram/dev/wxcloud/guide/openapi/openapi.html
 */
const NAMESPACES = [
  'analysis',
  'customerServiceMessage',
  'img',
  'logistics',
  'ocr',
  'phonenumber',
  'riskControl',
  'search',
  'security',
  'serviceMarket',
  'soter',
  'subscribeMessage',
  'templateMessage',
  'uniformMessage',
  'updatableMessage',
  'urllink',
  'urlscheme',
  'wxacode',
];

/**
 * The cloud calls a bundle can make: `openapi.<ns>.<method>` paths and `<ns>.<method>` members of
 * the known namespaces, read from its code with the comments removed (esbuild, whitespace only,
 * so every name stays as written). A computed `openapi[…]` cannot be checked and is reported.
 */
function cloudCallsIn(source: string): { calls: string[]; computed: boolean } {
  const code = transformSync(source, { minifyWhitespace: true, loader: 'js' }).code;
  const calls = new Set<string>();
  for (const match of code.matchAll(/\bopenapi\??\.(\w+)\??\.(\w+)/g)) {
    calls.add(`${match[1]}.${match[2]}`);
  }
  const members = new RegExp(`\\b(${NAMESPACES.join('|')})\\??\\.(\\w+)\\b`, 'g');
  for (const match of code.matchAll(members)) calls.add(`${match[1]}.${match[2]}`);
  return { calls: [...calls].sort(), computed: /\bopenapi\??\.?\[/.test(code) };
}

function bundleOf(name: string): string {
  return readFileSync(join(ROOT, 'cloudfunctions', name, 'index.js'), 'utf8');
}

describe.each(names)('cloudfunctions/%s/config.json', (name) => {
  const config: FunctionConfig = readFunctionConfig(ROOT, name);

  it('exists, in WeChat’s format, declaring only APIs the emulator answers', () => {
    expect(config.permissions?.openapi).toEqual(expect.any(Array));
    for (const api of config.permissions?.openapi ?? []) {
      expect(EMULATED_OPENAPI).toContain(api);
    }
  });

  it('declares every cloud call its bundle can make', () => {
    const { calls, computed } = cloudCallsIn(bundleOf(name));
    expect(computed).toBe(false);
    const declared = new Set(config.permissions?.openapi ?? []);
    expect(calls.filter((api) => !declared.has(api))).toEqual([]);
  });

  it('has the timer triggers cloudbaserc.json declares, as 7-field cron expressions', () => {
    const declared = rc.functions.find((f) => f.name === name)?.triggers ?? [];
    expect(config.triggers ?? []).toEqual(declared);
    for (const trigger of config.triggers ?? []) {
      expect(trigger.type).toBe('timer');
      expect(trigger.name).toMatch(/^[A-Za-z][A-Za-z0-9_-]{0,59}$/);
      expect(trigger.config.split(' ')).toHaveLength(7);
    }
  });
});

describe('reading the cloud calls of a bundle', () => {
  it('finds what the api bundle calls today', () => {
    expect(cloudCallsIn(bundleOf('api')).calls).toContain('riskControl.getUserRiskRank');
  });

  it('finds calls through the namespace or a destructured member, not ones in comments', () => {
    const source = `
      // wxacode.getUnlimited is mentioned here only
      /* subscribeMessage.send too */
      const { security } = cloud.openapi;
      await cloud.openapi.riskControl.getUserRiskRank({});
      await security.msgSecCheck({ content });
      await cloud.openapi?.urlscheme?.generate({});
    `;
    expect(cloudCallsIn(source)).toEqual({
      calls: ['riskControl.getUserRiskRank', 'security.msgSecCheck', 'urlscheme.generate'],
      computed: false,
    });
    expect(cloudCallsIn('cloud.openapi[event.api]()').computed).toBe(true);
  });
});
