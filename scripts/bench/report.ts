/**
 * docs/PERFORMANCE.md, written from one run's figures (bench/results.json holds the same), with
 * the issue's targets beside them. The prose around the tables says what each figure measures and
 * how; the figures themselves all come from `results`.
 */
import type { CampaignResult } from './campaign';
import type { HotDocumentRow } from './hot-document';
import type { Journey, PlanCapacity, RoundTripRow } from './round-trips';
import type { ScaleResult } from './scale';
import type { Machine } from './support';
import type { ThroughputRow } from './throughput';

/** What scripts/bench.mjs measures before this process starts. */
export interface ParentFigures {
  coldStart: {
    runs: number;
    sdk: { wall: number; cpu: number };
    bare: { wall: number; cpu: number };
    functions: Array<{
      name: string;
      bytes: number;
      own: { wall: number; cpu: number };
      ratio: { wall: number; cpu: number };
    }>;
  };
  packages: Array<{ name: string; files: number; bytes: number; limit: number }>;
  /** the e2e walk's largest setData payload per page and component (null: not run) */
  setData: { source: string; sizes: Record<string, { largest: number; calls: number }> } | null;
}

export interface BenchResults extends ParentFigures {
  run: { date: string; commit: string; machine: Machine; quick: boolean; seconds: number };
  roundTrips: RoundTripRow[];
  journey: Journey & { plans: PlanCapacity[] };
  throughput: ThroughputRow[];
  hotDocument: HotDocumentRow[];
  scale: ScaleResult;
  campaign: CampaignResult;
}

/**
 * Before issue 14, measured on commit 6488d30 with the same scenarios (the bench of that commit,
 * and these scripts run against its code), for the before → after of the summary.
 */
const BEFORE = {
  spinsPerSecondC50: 434,
  statsOverviewMs: { '1,003': 5.8, '11,003': 25.2, '61,003': 62.8 },
  roundTrips: {
    'session.enter (invited newcomer)': 11,
    'magnet.claim (verifies an invite)': 9,
    'lottery.spin (first spin after the claim window)': 11,
  },
  journey: { reads: 19, writes: 17 },
  landingCalls: 3,
};

const SET_DATA_BUDGET = 64 * 1024;
const BUNDLE_BUDGET = 250 * 1024;

const n = (value: number) => value.toLocaleString('en');
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const met = (ok: boolean) => (ok ? 'met' : '**not met**');

function table(header: string[], rows: Array<Array<string | number>>): string {
  const line = (cells: Array<string | number>) => `| ${cells.map(String).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function find(rows: RoundTripRow[], key: string): RoundTripRow | undefined {
  return rows.find((r) => `${r.fn} ${r.action}${r.path ? ` (${r.path})` : ''}` === key);
}

function ratioRows(scale: ScaleResult) {
  const small = Math.min(...scale.sizes);
  const large = Math.max(...scale.sizes);
  const ops = [...new Set(scale.rows.map((r) => r.op))];
  return ops.map((op) => {
    const at = (members: number) => scale.rows.find((r) => r.op === op && r.members === members);
    const ratio = (at(large)?.medianMs ?? 0) / Math.max(0.001, at(small)?.medianMs ?? 0);
    return { op, at, ratio };
  });
}

/** What the ratios over 1.5 are made of: the store's work (documents examined), or the process. */
function scaleNote(scale: ScaleResult, ratios: ReturnType<typeof ratioRows>): string {
  const sizes = [...scale.sizes].sort((x, y) => x - y);
  const large = sizes[sizes.length - 1];
  const middle = sizes[sizes.length - 2] ?? sizes[0];
  const over = ratios.filter((x) => x.ratio > 1.5);
  if (over.length === 0) return 'Every ratio is within 1.5×.';
  const examined = (x: (typeof ratios)[number], size: number) => x.at(size)?.examined ?? 0;
  const steady = over.every((x) => examined(x, large) <= 1.5 * examined(x, middle));
  const lines = over.map(
    (x) =>
      `\`${x.op}\` ${x.ratio.toFixed(2)}× in time, examining ${sizes.map((size) => n(examined(x, size))).join(' / ')} documents a call`,
  );
  return [
    `Over 1.5× in time: ${lines.join('; ')}.`,
    steady
      ? `From ${n(middle)} to ${n(large)} members the store reads no more documents a call: the
database's work does not grow with the campaign (the export reads each member's participant and
person, two documents a row, at every size past its first page; at ${n(sizes[0])} members its one page
is read with the file written in the same call). What grows is the one process's cost of a call —
the function's SDK parsing every answer and the garbage collector working over a heap that holds
${n(large)} members, their people and their coupons (several GB) beside the calls' garbage (a
profile of the export at 200,000 members: 8 % the SDK's EJSON parsing, 13–21 % garbage collection,
none of it the store's search). A database keeps its data out of the function's heap; the emulator
cannot. The target is **not met** in time as measured here; the work that grows on a real database
does not grow.`
      : `Some of them read more documents at ${n(large)} members than at ${n(middle)}: that is work
that grows, and the target is not met.`,
  ].join('\n');
}

export function renderPerformance(r: BenchResults): string {
  const spin50 = r.throughput.find(
    (t) => t.action === 'lottery.spin' && t.concurrency === 50 && t.latencyMs === 0,
  );
  const ratios = ratioRows(r.scale);
  const worstRatio = Math.max(...ratios.map((x) => x.ratio));
  const coldWorst = Math.max(...r.coldStart.functions.map((f) => f.ratio.cpu));
  const bundleWorst = Math.max(...r.coldStart.functions.map((f) => f.bytes));
  const setDataWorst = r.setData
    ? Math.max(...Object.values(r.setData.sizes).map((s) => s.largest))
    : null;
  const base = r.journey.plans[0];
  const trips = (key: string) => find(r.roundTrips, key)?.calls ?? NaN;
  const spinTrips = trips('api lottery.spin (a limited coupon prize)');
  const claimTrips = trips('api magnet.claim (verifies an invite)');
  const walletTrips = trips('api wallet.list');
  const statsTrips = trips('admin stats.overview');

  const summary = table(
    ['figure', 'target', 'before', 'measured', ''],
    [
      [
        '`lottery.spin` round trips (a limited coupon prize)',
        '≤ 6',
        '6',
        spinTrips,
        met(spinTrips <= 6),
      ],
      [
        '`lottery.spin`, costliest (a first spin after the claim window credits the inviter)',
        'stated',
        BEFORE.roundTrips['lottery.spin (first spin after the claim window)'],
        trips('api lottery.spin (first spin verifies an invite after the claim window)'),
        '',
      ],
      [
        '`magnet.claim` verifying an invite',
        '≤ 8',
        BEFORE.roundTrips['magnet.claim (verifies an invite)'],
        claimTrips,
        met(claimTrips <= 8),
      ],
      ['`wallet.list`', '≤ 2', '1', walletTrips, met(walletTrips <= 2)],
      ['`stats.overview`', '≤ 8', '8', statsTrips, met(statsTrips <= 8)],
      [
        'scale: slowest ratio 1M / 1k members',
        '≤ 1.5',
        `${(BEFORE.statsOverviewMs['61,003'] / BEFORE.statsOverviewMs['1,003']).toFixed(1)}× at 61k (stats.overview)`,
        `${worstRatio.toFixed(2)}×`,
        met(worstRatio <= 1.5),
      ],
      [
        'spins/s at concurrency 50, one process',
        '≥ 1,500',
        n(BEFORE.spinsPerSecondC50),
        spin50 ? `${n(spin50.perSecond)} (${n(spin50.perCpuSecond)} per CPU-second)` : '—',
        met((spin50?.perSecond ?? 0) >= 1500),
      ],
      [
        'cold start, worst function (CPU)',
        '≤ 1.1×',
        '1.26× (api, zod classic)',
        `${coldWorst.toFixed(3)}×`,
        met(coldWorst <= 1.1),
      ],
      [
        'largest function bundle',
        '≤ 250 KB',
        '808 KB',
        kb(bundleWorst),
        met(bundleWorst <= BUNDLE_BUDGET),
      ],
      [
        'largest `setData` of the e2e walk',
        '≤ 64 KB',
        'not measured',
        setDataWorst === null ? 'not run' : kb(setDataWorst),
        setDataWorst === null ? '' : met(setDataWorst <= SET_DATA_BUDGET),
      ],
      [
        'landing: cloud calls before the offer shows',
        '1',
        String(BEFORE.landingCalls),
        '1 (asserted by the landing page test)',
        met(true),
      ],
      [
        'engaged visitors a day on the base plan',
        '≥ 5,000',
        `${n(Math.floor(30_000 / BEFORE.journey.writes))} (writes)`,
        `${n(base.engagedPerDay)} (${base.binding} bind first)`,
        met(base.engagedPerDay >= 5000),
      ],
    ],
  );

  const roundTripTable = table(
    ['function', 'action (path)', 'round trips', 'reads', 'writes', 'budget'],
    r.roundTrips.map((m) => [
      m.fn,
      `\`${m.action}\`${m.path ? ` (${m.path})` : ''}`,
      m.calls,
      m.reads,
      m.writes,
      m.budget === null ? '—' : `≤ ${m.budget}`,
    ]),
  );

  const journeyTable = table(
    ['step', 'reads', 'writes'],
    [
      ...r.journey.steps.map((s) => [`\`${s.action}\``, s.reads, s.writes]),
      ['**the journey**', `**${r.journey.totals.reads}**`, `**${r.journey.totals.writes}**`],
      [
        'of which the inviter’s credit (in the claim)',
        r.journey.credit.reads,
        r.journey.credit.writes,
      ],
    ],
  );
  const planTable = table(
    [
      'plan',
      'reads / day',
      'writes / day',
      'function calls / month',
      'by reads',
      'by writes',
      'by calls',
      'engaged visitors / day',
    ],
    r.journey.plans.map((p) => [
      `${p.plan}${p.source === 'assumed' ? ' (assumed)' : ''}`,
      n(p.readsPerDay),
      n(p.writesPerDay),
      p.callsPerMonth === null ? '—' : n(p.callsPerMonth),
      n(p.visitorsByReads),
      n(p.visitorsByWrites),
      p.visitorsByCalls === null ? '—' : n(p.visitorsByCalls),
      `**${n(p.engagedPerDay)}** (${p.binding})`,
    ]),
  );

  const actions = [...new Set(r.throughput.map((t) => t.action))];
  const throughputTable = table(
    ['action', 'latency', 'c = 1: calls/s · p50 · p99', 'c = 50', 'c = 500'],
    actions.flatMap((action) =>
      [0, 5].map((latencyMs) => [
        `\`${action}\``,
        `+${latencyMs} ms`,
        ...[1, 50, 500].map((c) => {
          const t = r.throughput.find(
            (x) => x.action === action && x.latencyMs === latencyMs && x.concurrency === c,
          );
          return t
            ? `${n(t.perSecond)} · ${t.p50Ms} ms · ${t.p99Ms} ms${t.refused ? ` (${t.refused} refused)` : ''}`
            : '—';
        }),
      ]),
    ),
  );

  const hotTable = table(
    [
      'stock of the prize',
      'spins/s',
      'p50',
      'p99',
      'stock writes retried / 1,000 spins',
      'queued per stock write',
      'queued per counter write',
    ],
    r.hotDocument.map((h) => [
      `${h.layout} (${h.shards})`,
      n(h.perSecond),
      `${h.p50Ms} ms`,
      `${h.p99Ms} ms`,
      h.stockRetriesPer1000,
      `${h.stockQueuedMsPerWrite} ms`,
      `${h.counterQueuedMsPerWrite} ms`,
    ]),
  );

  const sizes = r.scale.sizes;
  const scaleTable = table(
    [
      'operation',
      ...sizes.map((s) => `${n(s)} members`),
      'round trips',
      `ratio ${n(Math.max(...sizes))} / ${n(Math.min(...sizes))}`,
      `documents examined a call (${sizes.map(n).join(' / ')})`,
    ],
    ratios.map(({ op, at, ratio }) => [
      `\`${op}\``,
      ...sizes.map((s) => `${at(s)?.medianMs ?? '—'} ms`),
      String(at(Math.max(...sizes))?.roundTrips ?? '—'),
      `${ratio.toFixed(2)}× ${ratio <= 1.5 ? '' : '(over 1.5)'}`.trim(),
      sizes.map((s) => n(at(s)?.examined ?? 0)).join(' / '),
    ]),
  );

  const c = r.campaign;
  const refused = Object.entries(c.refused)
    .sort((a, b) => b[1] - a[1])
    .map(([what, count]) => `${what} × ${n(count)}`)
    .join(', ');
  const funnel = Object.entries(c.funnel)
    .map(([key, count]) => `${key} ${n(count)}`)
    .join(' · ');

  const coldTable = table(
    [
      'function',
      'bundle',
      'require() on top of wx-server-sdk (wall / CPU)',
      'against a bare function (wall / CPU)',
      'targets',
    ],
    r.coldStart.functions.map((f) => [
      `\`${f.name}\``,
      kb(f.bytes),
      `${f.own.wall.toFixed(1)} / ${f.own.cpu.toFixed(1)} ms`,
      `${f.ratio.wall.toFixed(3)}× / ${f.ratio.cpu.toFixed(3)}×`,
      `≤ 250 KB ${met(f.bytes <= BUNDLE_BUDGET)}, ≤ 1.1× ${met(f.ratio.cpu <= 1.1)}`,
    ]),
  );

  const packageTable = table(
    ['package', 'files', 'size', 'limit'],
    r.packages.map((p) => [p.name, p.files, kb(p.bytes), kb(p.limit)]),
  );
  const pages = r.setData
    ? Object.entries(r.setData.sizes).sort((a, b) => b[1].largest - a[1].largest)
    : [];
  const setDataTable = table(
    ['page or component', 'largest setData', 'calls in the walk'],
    pages.map(([path, s]) => [`\`${path}\``, kb(s.largest), s.calls]),
  );

  const m = r.run.machine;
  return `# Performance

What Growth Kit costs on CloudBase and how it grows, measured by \`npm run bench\` (figures, never
assertions: the budgets that are counts or sizes are tests — see [What is a test](#what-is-a-test)).
Every figure below comes from **one run**; \`bench/results.json\` holds the same figures.

- **Machine:** ${m.cpu}, ${m.cores} cores (shared with other work while it ran), ${m.memoryGb} GB,
  ${m.platform}, Node ${m.node}
- **Date:** ${r.run.date}
- **Commit:** ${r.run.commit}
- **Run:** ${n(r.run.seconds)} s for the sections after the cold start and the e2e walk

Wall-clock figures depend on the machine and on what else runs on it; round trips, reads, writes
and sizes do not. On a shared machine the per-CPU-second figures are the steadier ones.

## Targets

${summary}

“Before” is commit 6488d30, the last before this work, measured with the same scenarios.

## Database round trips, every action

Each action of \`api\`, \`admin\` and \`cron\` walked once on the path named (test/support/round-trips.ts,
on warm containers: a cold one adds one read of the campaign). Reads and writes are counted as
CloudBase's quota counts them (a conditional update that matches nothing is still a write request).
\`test/cloudfunctions/round-trips.test.ts\` holds every call to its budget and checks that no action of
the contract is left out.

${roundTripTable}

What came off (issue 14): an invited arrival no longer re-inserts the inviter's participant it has
just read nor re-marks a first invite it read marked; a person created by the call is not looked
up again; the inviter's profile comes from the arrival's read; a credit the read shows below the
next ladder step says so in its condition (\`progress.verified < step − 1\`), so the card's unlock
and the second read of the inviter are certain no-ops and are skipped (near a step both happen as
before, and the concurrency tests of the ladder and the card still hold).

## One engaged visitor, and what a CloudBase plan serves

An invited friend's journey: enter with the invite (the landing), claim (crediting the inviter),
spin (a limited coupon prize: the dearest common spin), the wallet, the black card, the group.

${journeyTable}

${planTable}

The base plan's quotas are WeChat's (Resource Quota: reads 50,000 / day, writes 30,000 / day, 200,000
function calls / month, QPS 30 — https://developers.weixin.qq.com/miniprogram/en/dev/wxcloud/basis/concepts/quota.html).
The other plans' daily reads and writes were not found in the sources available here; they are
**assumed** to scale with the plans' concurrent connections (20, 50, 100, 200, 300, 400, 500), as the
simulator assumes for QPS; check the console before relying on them. Function calls per month are
given for the base plan only (${n(r.journey.totals.functionCalls)} calls per journey).

**The 5,000-a-day target is ${met(base.engagedPerDay >= 5000)} on the base plan**: ${n(
    r.journey.totals.writes,
  )} writes and ${n(r.journey.totals.reads)} reads per engaged visitor (before: ${BEFORE.journey.writes}
writes, ${BEFORE.journey.reads} reads) serve ${n(base.visitorsByWrites)} visitors by writes and
${n(base.visitorsByReads)} by reads — and the base plan's 200,000 function calls a month (${n(
    Math.floor(200_000 / 30),
  )} a day) allow ${n(base.visitorsByCalls ?? 0)} journeys of ${r.journey.totals.functionCalls} calls,
so function calls bind first. Every write left is a record or a counter:
the person and the participant, the claim and its coupon, the inviter's credit, the spin's record,
its unit of stock and its coupon, the seat and the participant's group, and one counter bump in each
of the four calls that make an event. What 5,000 would need, without giving up an invariant:

- **Counters at less than one write per event.** Buffering increments in a warm container and
  flushing them every few seconds cuts the four counter writes per journey to a fraction, but a
  buffer flushed after the reconciler corrected the counters counts twice. A safe shape: counters
  kept per Shanghai day (issue 15 adds daily counters), a day's shards closed by the reconciler
  (\`closed: true\` on each shard, written before it recounts that day), and every flush conditioned on
  \`closed: false\` — a flush that arrives late is refused and dropped, and the day's recount already
  holds its events. That is a change to \`bumpCounters\`, the reconciler and the chaos suite together;
  it was left for after issue 15 lands, and is not in this branch.
- **Fewer function calls per visitor:** the base plan's monthly calls allow about 1,100 journeys a
  day whatever the database does; a campaign of 5,000 engaged visitors a day needs 基础版 2 or a
  bigger plan (or fewer calls: the landing's first screen is one call already).

## Throughput and latency, per visitor action

One process (${m.cores} shared cores), concurrent invocations of the real bundles against the
in-memory emulator, each action in an emulator of its own; every run has visitors of its own, prepared first (not timed). \`+5 ms\` adds 5 ms
before every database call, as a network would. The wheel stops on a limited coupon prize with stock
to spare (a unit held, a coupon issued: the dearest common spin); the group pool has room for all.

${throughputTable}

**Spins per second at concurrency 50: ${spin50 ? n(spin50.perSecond) : '—'}** (${spin50 ? n(spin50.perCpuSecond) : '—'} per CPU-second; before: ${n(
    BEFORE.spinsPerSecondC50,
  )}). What the profile (\`node --cpu-prof\`) showed and what changed in the emulator: mingo's \`Query\`
copied every operator table for each query and its updater for each update (a sixth of the time);
updates copied whole documents and compared them whole twice; the wire was read with bson's EJSON
and a second walk; projections went through mingo's general \`$project\`; every update rebuilt every
index entry of the document. Now: one options object for all queries, the updater on an empty
context, \`$set\`/\`$inc\`/\`$unset\` applied directly on copies of the objects on their paths, the wire
read with \`JSON.parse\` and one walk and written as relaxed EJSON, plain inclusion projections
without mingo, and index work only for the fields an update touched. Each fast path is held to
mingo's or the library's own answer by property tests (\`test/emulator/fast-paths.test.ts\`). About
a third of a spin's time is now the real \`@cloudbase/database\` SDK in the function (building and
serialising queries, parsing answers), which the emulator keeps as it is.

\`group.get\` (a first hand-out) is the slowest visitor action by design: the pool hands out seats
in pool order, so one group fills before the next starts (\`domain/group.ts\`, as operators want a
group to come alive); every concurrent newcomer takes a seat in the same document, and when it
fills, those who lost the last seats try the next group. At concurrency 500 with groups of 200
that is a few conditional writes lost per hand-out, all of them cheap refusals; the invariant
(\`handedOut = members ≤ capacity\`) holds. Spreading hand-outs over every group with room would
remove the queue at the cost of half-empty groups.

## Hot documents

${r.hotDocument[0]?.spins ?? 1000} spins at concurrency 50 that all win the same limited prize, with
${r.hotDocument[0]?.docLatencyMs ?? 5} ms per write of a document (\`docLatencyMs\`: writes to one document
queue behind each other, as on a real database). Its stock in one document, then in the project's
shards (\`repositories/stock.ts\`: \`holdStock\` takes one unit of one shard, starting where the spin's
id points, \`left + holders = configured\` in every shard). The counter shards every spin bumps are
shown too.

${hotTable}

No conditional stock write misses while units are left, in either layout: a miss only happens when
a shard runs dry between the read and the write (then the next shard is tried). What a hot document
costs is the queue: with one document, every winning spin waits for every earlier one.

## Scale

Members seeded straight into the store (cloned from a member made through the functions: the
documents the functions write), each with their gift coupon, most invited by an earlier member (four
friends each). Medians of warm calls. Seeding took ${sizes.map((s) => `${r.scale.seedSeconds[s]} s (${n(s)})`).join(', ')}.

${scaleTable}

The emulator keeps every declared index (\`cloudbaserc.json\`) as an ordered index
(\`emulator/ordered-index.ts\`): an equality prefix and a range pin a block with two binary searches,
an \`orderBy\` the index follows walks it and stops at the \`limit\`, and a count whose conditions the
index holds whole is the block's size. Answers are property-tested against a scan
(\`test/emulator/ordered-index.test.ts\`). Before, \`stats.overview\` took ${Object.entries(
    BEFORE.statsOverviewMs,
  )
    .map(([users, ms]) => `${ms} ms at ${users}`)
    .join(', ')} users (the top inviters' sort scanned everyone).

${scaleNote(r.scale, ratios)}

## A campaign of ${n(c.visitors)} visitors, end to end

Through the functions, in ${n(c.waves)} bursts of ${n(c.burst)} visitors starting at the same moment,
over one Shanghai day: each enters (half with an earlier visitor's invite), 85 % claim, 80 % spin
(30 % twice), 25 % look at their card and share, 30 % ask for the group, 10 % show the gift coupon
to a cashier who scans it. Then the clock moves past the abandonment window and the hourly job runs.

- **${n(c.calls)} calls in ${c.wallSeconds} s** (${n(c.callsPerSecond)} calls/s; p50 ${c.p50Ms} ms, p99
  ${c.p99Ms} ms per call with up to ${n(c.burst)} in flight)
- Refused, as the product refuses them: ${refused || 'none'}
- The hourly job: ${c.reconcile.seconds} s and ${n(c.reconcile.roundTrips)} round trips (its reconciler
  walks all ${n(c.reconcile.participants)} participants in one run, in pages of 1,000). On CloudBase,
  at a few ms a round trip, that is well over the 60 s \`cron\` may run: a campaign of this size needs
  the reconciler to resume from a cursor across runs. The emulator was given the time here.
- **Invariants after the reconciler: ${c.violations.length === 0 ? 'all hold' : `${c.violations.length} violated`}**
  (\`test/chaos/invariants.ts\`: every spin recorded once, stock never oversold, every verified invite
  counted once, cards follow counts, groups within capacity, counters equal the records)${
    c.violations.length ? `: ${c.violations.join('; ')}` : ''
  }; the dashboard ${c.dashboardMatches ? 'shows what the records say' : '**differs from the records**'}.
- The funnel: ${funnel}

## Cold start and bundles

\`require()\` of each bundle in ${r.coldStart.runs} fresh processes, after the real \`wx-server-sdk\`
(${r.coldStart.sdk.wall.toFixed(1)} / ${r.coldStart.sdk.cpu.toFixed(1)} ms wall / CPU), against a bare
function that only requires it (+${r.coldStart.bare.wall.toFixed(1)} / +${r.coldStart.bare.cpu.toFixed(
    1,
  )} ms). Medians; \`zod/mini\`, minified, source maps beside (issue 14's first part, already in
place). \`test/cloudfunctions/bundles.test.ts\` holds each bundle to 250 KB.

${coldTable}

## The Mini Program

Packages as WeChat counts them at upload (\`npm run size\`, a test of \`npm test\`):

${packageTable}

The largest \`setData\` payload of each page and component during the e2e walk (${
    r.setData ? `\`${r.setData.source}\`` : 'not run'
  }): the bytes of its JSON, as it crosses to the view layer. WeChat warns at 256 KB; the budget is
64 KB a call, a test both in the e2e walk and in every page test (\`test/miniprogram/support\`).

${setDataTable}

The landing page's first screen comes from one cloud call: \`session.enter { landing: true }\` answers
the campaign view, a claimed visitor's reward and the reminder templates (before: \`session.enter\`,
then \`campaign.get\` and \`wallet.list\`, and \`magnet.claim\` again for a claimed visitor).
\`test/miniprogram/pages/landing.test.ts\` asserts the single call.

## What is a test

Counts and sizes are tests (\`npm test\`): every action's round trips (\`round-trips.test.ts\`), the
bundles' 250 KB, the Mini Program's packages, every \`setData\` under 64 KB, the landing's one call,
the ordered indexes against a scan, and the emulator's fast paths against mingo and the library.
Wall-clock figures are only printed: \`npm run bench\` (about ${Math.round(
    r.run.seconds / 60,
  )} minutes; \`-- --quick\` for a short try, \`-- --only=scale,…\` for some sections, neither written
here).
`;
}
