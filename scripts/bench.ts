/**
 * `npm run bench`: figures, not assertions. Runs the real function bundles on an in-memory
 * emulator and prints database round trips per action and throughput under concurrency.
 * Wall-clock numbers depend on the machine; round trips do not.
 */
import { performance } from 'node:perf_hooks';
import { Emulator } from '../emulator/emulator';
import { DEMO_ADMIN_OPENID } from '../emulator/seed';

interface Row {
  what: string;
  figure: string;
}

const rows: Row[] = [];
const report = (what: string, figure: string) => {
  rows.push({ what, figure });
  console.log(`${what.padEnd(58)} ${figure}`);
};

let counter = 0;
const rid = () => `bench-${(counter++).toString().padStart(8, '0')}`;

async function call(emulator: Emulator, fn: string, openid: string, event: object) {
  const res = await emulator.invoke(fn, event, { openid });
  const result = res.result as { ok: boolean; error?: { code: string } };
  if (!result.ok && result.error?.code !== 'NO_SPINS_LEFT') {
    throw new Error(`${fn} ${JSON.stringify(event)}: ${JSON.stringify(result)}`);
  }
  return res;
}

async function timed<T>(label: string, count: number, run: () => Promise<T[]>): Promise<T[]> {
  const start = performance.now();
  const out = await run();
  const ms = performance.now() - start;
  report(
    label,
    `${count} calls in ${ms.toFixed(0)} ms = ${((count / ms) * 1000).toFixed(0)} calls/s`,
  );
  return out;
}

async function main(): Promise<void> {
  const emulator = await Emulator.start({ dataDir: null });
  console.log('Database round trips per invocation (warm container):');
  await call(emulator, 'api', 'warm-up', { action: 'campaign.get' });
  const inviter = await call(emulator, 'api', 'inviter', { action: 'session.enter' });
  const code = (inviter.result as { data: { inviteCode: string } }).data.inviteCode;
  await call(emulator, 'api', 'inviter', { action: 'magnet.claim', requestId: rid() });
  const trips = async (label: string, fn: string, openid: string, event: object) =>
    report(label, `${(await call(emulator, fn, openid, event)).dbCalls}`);
  await trips('session.enter (new user, with invite)', 'api', 'friend', {
    action: 'session.enter',
    inviteCode: code,
  });
  await trips('session.enter (returning)', 'api', 'friend', { action: 'session.enter' });
  await trips('campaign.get', 'api', 'friend', { action: 'campaign.get' });
  await trips('magnet.claim (verifies an invite, first credit of the day)', 'api', 'friend', {
    action: 'magnet.claim',
    requestId: rid(),
  });
  await call(emulator, 'api', 'friend-2', { action: 'session.enter', inviteCode: code });
  await trips('magnet.claim (verifies an invite, same day)', 'api', 'friend-2', {
    action: 'magnet.claim',
    requestId: rid(),
  });
  await trips('lottery.status', 'api', 'friend', { action: 'lottery.status' });
  await trips('lottery.spin', 'api', 'friend', { action: 'lottery.spin', requestId: rid() });
  await trips('wallet.list', 'api', 'friend', { action: 'wallet.list' });
  await trips('blackcard.get', 'api', 'inviter', { action: 'blackcard.get' });
  await trips('group.get (first hand-out)', 'api', 'friend', { action: 'group.get' });
  await trips('group.get (sticky)', 'api', 'friend', { action: 'group.get' });
  await trips('stats.overview', 'admin', DEMO_ADMIN_OPENID, { action: 'stats.overview' });

  console.log('\nThroughput, 2-core machine, one process (concurrent invocations):');
  const users = Array.from({ length: 1000 }, (_, i) => `load-${i}`);
  await timed('session.enter × 1000 new users, all at once', users.length, () =>
    Promise.all(users.map((u) => call(emulator, 'api', u, { action: 'session.enter' }))),
  );
  await timed('magnet.claim × 1000, all at once', users.length, () =>
    Promise.all(
      users.map((u) => call(emulator, 'api', u, { action: 'magnet.claim', requestId: rid() })),
    ),
  );
  await timed('lottery.spin × 1000, all at once', users.length, () =>
    Promise.all(
      users.map((u) => call(emulator, 'api', u, { action: 'lottery.spin', requestId: rid() })),
    ),
  );
  await timed('wallet.list × 1000, all at once', users.length, () =>
    Promise.all(users.map((u) => call(emulator, 'api', u, { action: 'wallet.list' }))),
  );

  console.log('\nDashboard cost against the number of users:');
  for (const extra of [0, 10_000, 50_000]) {
    if (extra) {
      const more = Array.from({ length: extra }, (_, i) => `bulk-${extra}-${i}`);
      for (let i = 0; i < more.length; i += 500) {
        await Promise.all(
          more.slice(i, i + 500).map((u) => call(emulator, 'api', u, { action: 'session.enter' })),
        );
      }
    }
    const start = performance.now();
    const res = await call(emulator, 'admin', DEMO_ADMIN_OPENID, { action: 'stats.overview' });
    report(
      `stats.overview at ${emulator.store.count('users')} users`,
      `${res.dbCalls} round trips, ${(performance.now() - start).toFixed(1)} ms`,
    );
  }
  await emulator.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
