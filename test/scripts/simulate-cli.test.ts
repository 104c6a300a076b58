/**
 * `npm run simulate` (operator studio, issue 9): the simulator from the command line, on the demo
 * and on a config file, with a band; a config the server would refuse is refused here too.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_ASSUMPTIONS } from '../../cloudfunctions/_shared/demo-assumptions';
import { demoCampaign } from '../../cloudfunctions/_shared/demo-campaign';
import { main } from '../../scripts/simulate-cli';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'growth-kit-simulate-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const code = await main(args, (line) => lines.push(line));
  return { code, out: lines.join('\n') };
}

it('projects the demo with the demo assumptions, and prints its warnings', async () => {
  const { code, out } = await run(['--demo', '--bands', '20', '--seed', '3']);
  expect(code).toBe(0);
  expect(out).toContain('山野茶事 · 新店开业 会员招募季 (demo-opening): 30 days');
  expect(out).toMatch(/^total +\d+/m);
  expect(out).toContain('band over 20 runs (seed 3), p10 / p50 / p90:');
  expect(out).toContain('[info] magnet.claimWindow.endAt: 领取福利第');
  expect(out).toContain('[warn] groups.defaultCapacity: 群池预计第');
});

it('reads a config and its assumptions from files, and answers JSON on request', async () => {
  const config = demoCampaign(new Date());
  config.lottery.prizes[0].weight = 400;
  writeFileSync(join(dir, 'campaign.json'), JSON.stringify(config));
  writeFileSync(join(dir, 'traffic.json'), JSON.stringify(DEMO_ASSUMPTIONS));
  const { code, out } = await run([
    join(dir, 'campaign.json'),
    join(dir, 'traffic.json'),
    '--pool',
    '2000',
    '--json',
  ]);
  expect(code).toBe(0);
  const projection = JSON.parse(out);
  expect(projection.pool.room).toBe(2000);
  expect(projection.prizes[0]).toMatchObject({ id: 'tumbler', stockOutDay: 1 });
  expect(projection.assumptions.visitorsPerDay).toEqual(DEMO_ASSUMPTIONS.visitorsPerDay);
});

it('refuses a config the server would refuse, naming each problem in Chinese', async () => {
  const config = demoCampaign(new Date()) as unknown as Record<string, any>;
  config.lottery.prizes[0].stock = -1;
  writeFileSync(join(dir, 'bad.json'), JSON.stringify(config));
  const { code, out } = await run([join(dir, 'bad.json')]);
  expect(code).toBe(1);
  expect(out).toContain('lottery.prizes.0.stock: 库存须为不小于 0 的整数，留空表示不限量');
});

it('says how to use it when asked nothing', async () => {
  const { code, out } = await run([]);
  expect(code).toBe(2);
  expect(out).toContain('Usage: npm run simulate');
});
