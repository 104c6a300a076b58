/**
 * Operator studio (issue 9): `npm run simulate -- <config.json> [assumptions.json]` prints the
 * projection of a campaign (the same pure simulator `campaign.simulate` runs) as text.
 *
 *   npm run simulate -- --demo                    the demo campaign with the demo assumptions
 *   npm run simulate -- campaign.json             a config file (validated as the admin does)
 *   npm run simulate -- campaign.json traffic.json --bands 200 --seed 7 --pool 540
 *   npm run simulate -- --demo --json             the projection as JSON
 *
 * `--pool` is the group pool's free seats (default: three group QR codes at the campaign's
 * default capacity, as the emulator seeds); `--bands` adds a seeded Monte-Carlo band.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseCampaign, problemText, type Campaign } from '../cloudfunctions/_shared/campaign';
import type { Projection, TrafficAssumptionsInput } from '../cloudfunctions/_shared/contracts';
import { DEMO_ASSUMPTIONS } from '../cloudfunctions/_shared/demo-assumptions';
import { demoCampaign } from '../cloudfunctions/_shared/demo-campaign';
import { simulate, simulateBands } from '../cloudfunctions/_shared/domain/simulate';

const USAGE = `Usage: npm run simulate -- <config.json> [assumptions.json] [options]
       npm run simulate -- --demo [options]

  --demo            the demo campaign (山野茶事) with the demo traffic assumptions
  --pool <seats>    free seats in the group pool (default: 3 QR codes × the default capacity)
  --bands <runs>    add a seeded Monte-Carlo band (p10/p50/p90), 10–400 runs
  --seed <n>        the band's seed (default 1)
  --json            print the projection as JSON`;

export async function main(argv: string[], log: (line: string) => void): Promise<number> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(argv);
  } catch (error) {
    log(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = args;
  if (values.help || (!values.demo && positionals.length === 0)) {
    log(USAGE);
    return values.help ? 0 : 2;
  }
  let campaign: Campaign;
  let assumptions: TrafficAssumptionsInput = {};
  if (values.demo) {
    campaign = demoCampaign(new Date());
    assumptions = DEMO_ASSUMPTIONS;
  } else {
    const parsed = parseCampaign(readJson(positionals[0]));
    if (!parsed.ok) {
      log(`${positionals[0]} is not a valid campaign:`);
      for (const problem of parsed.problems) log(`  ${problemText(problem)}`);
      return 1;
    }
    campaign = parsed.campaign;
  }
  if (positionals[values.demo ? 0 : 1]) {
    assumptions = readJson(positionals[values.demo ? 0 : 1]) as TrafficAssumptionsInput;
  }
  const room = values.pool ? Number(values.pool) : 3 * campaign.groups.defaultCapacity;
  const input = { campaign, assumptions, pool: { room } };
  const projection = simulate(input);
  if (values.bands) {
    const runs = Math.min(400, Math.max(10, Number(values.bands)));
    projection.bands = simulateBands(input, { runs, seed: Number(values.seed ?? 1) });
  }
  if (values.json) log(JSON.stringify(projection, null, 2));
  else for (const line of report(campaign, projection)) log(line);
  return 0;
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      demo: { type: 'boolean' },
      pool: { type: 'string' },
      bands: { type: 'string' },
      seed: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;
const pad = (value: string | number, width: number) => String(value).padStart(width);

export function report(campaign: Campaign, p: Projection): string[] {
  const t = p.totals;
  const lines = [
    `${campaign.title} (${campaign.id}): ${p.days.length} days, ${campaign.startAt} → ${campaign.endAt}`,
    '',
    ' day  date        visitors friends claims verified cards  spins coupons redeemed seats',
    ...p.days.map(
      (d) =>
        `${pad(d.day, 4)}  ${d.date} ${pad(d.visitors, 8)} ${pad(d.friends, 7)} ${pad(d.claims, 6)} ` +
        `${pad(d.verified, 8)} ${pad(d.cardsUnlocked, 5)} ${pad(d.spins, 6)} ${pad(d.couponsIssued, 7)} ` +
        `${pad(d.couponsRedeemed, 8)} ${pad(d.seats, 5)}`,
    ),
    `total             ${pad(t.visitors, 8)} ${pad(t.friends, 7)} ${pad(t.claims, 6)} ${pad(t.verified, 8)} ` +
      `${pad(t.cardsUnlocked, 5)} ${pad(t.spins, 6)} ${pad(t.couponsIssued, 7)} ${pad(t.couponsRedeemed, 8)} ${pad(t.seats, 5)}`,
    '',
    'prizes:',
    ...p.prizes.map(
      (prize) =>
        `  ${prize.name.padEnd(12)} odds ${pad(prize.odds.toFixed(2), 6)}%  stock ${pad(prize.stock ?? '∞', 5)}  ` +
        `issued ${pad(prize.issued, 6)}${prize.stockOutDay ? `  runs out on day ${prize.stockOutDay}` : ''}`,
    ),
    '',
    `cost: channels ${yuan(t.cost.channels)} + prizes ${yuan(t.cost.prizes)} + coupons ${yuan(t.cost.coupons)} = ${yuan(t.cost.total)}`,
    `new members ${t.newMembers}, ${t.costPerMember === null ? 'no cost per member' : `${yuan(t.costPerMember)} each`}; bonus spins earned ${t.bonusSpins}`,
    `group pool: ${p.pool.room} seats free, ${p.pool.seatsNeeded} needed` +
      (p.pool.fillsOnDay
        ? `, full on day ${p.pool.fillsOnDay} (${p.pool.moreQrCodes} more QR codes)`
        : ''),
    `database: busiest hour (day ${p.database.peakDay}) ≈ ${p.database.peakHourCalls} calls, ${p.database.peakOpsPerSecond} ops/s → ${p.database.plan ?? 'beyond the listed plans'}`,
    `  (${p.database.source})`,
  ];
  if (p.bands) {
    lines.push('', `band over ${p.bands.runs} runs (seed ${p.bands.seed}), p10 / p50 / p90:`);
    for (const [key, b] of Object.entries(p.bands.totals)) {
      lines.push(`  ${key.padEnd(14)} ${pad(b.p10, 7)} ${pad(b.p50, 7)} ${pad(b.p90, 7)}`);
    }
    lines.push(
      `  ${'cost'.padEnd(14)} ${yuan(p.bands.cost.p10)} ${yuan(p.bands.cost.p50)} ${yuan(p.bands.cost.p90)}`,
    );
    for (const [id, days] of Object.entries(p.bands.stockOutDay)) {
      if (days.p10 !== null)
        lines.push(`  ${id} runs out between day ${days.p10} and ${days.p90 ?? 'never'}`);
    }
  }
  lines.push('', p.warnings.length ? 'warnings:' : 'no warnings');
  for (const w of p.warnings)
    lines.push(`  [${w.level}] ${w.field ? `${w.field}: ` : ''}${w.message}`);
  return lines;
}
