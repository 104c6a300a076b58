/**
 * The documents a fresh environment needs before anyone can use it, written with wx-server-sdk
 * (initialised with the API key) exactly as the functions write them:
 * - the first campaign, validated by `parseCampaign` (the admin's own validation), when the
 *   `campaigns` collection is empty. Its counter shards are written first and the campaign last,
 *   so an interrupted run leaves no campaign and the rerun writes everything again (`set` is an
 *   upsert). An existing campaign is never replaced: operators edit it with `campaign.put`.
 * - the first owner (`--owner <openid>`) in `admins`.
 */
import { parseCampaign, problemText, type Campaign } from '../../cloudfunctions/_shared/campaign';
import {
  COLLECTIONS,
  emptyCounterShards,
  initialStockShards,
} from '../../cloudfunctions/_shared/collections';
import type { AdminDoc } from '../../cloudfunctions/_shared/repositories/admins';
import type { CampaignDoc } from '../../cloudfunctions/_shared/repositories/campaigns';
import { issueOwnerSetupCode } from '../owner-setup-code';
import { withLocations, type CampaignSource } from './assets';
import { fileIdOf, type Connection, type DocumentDatabase } from './cloudbase';
import { change, DeployError, ok, unknown, type Step } from './plan';

/** The campaign as it will be stored, validated as the admin validates `campaign.put`. */
export function parseFirstCampaign(
  source: CampaignSource,
  locate: (cloudPath: string) => string,
): Campaign {
  const parsed = parseCampaign(withLocations(source, locate));
  if (!parsed.ok) {
    throw new DeployError(
      'first campaign',
      `${source.origin} is not a valid campaign:\n    ${parsed.problems.map(problemText).join('\n    ')}`,
      'fix the config file and rerun',
    );
  }
  return parsed.campaign;
}

/** Where a file will be before the environment is known (for validation and the plan). */
export const placeholderLocation = (cloudPath: string) => `cloud://<env>/${cloudPath}`;

export function firstCampaignStep(
  source: () => Promise<CampaignSource>,
  connection: () => Connection,
): Step {
  return {
    part: 'database',
    title: 'first campaign',
    async plan(connected) {
      const campaignSource = await source();
      const config = withLocations(campaignSource, (cloudPath) =>
        connected ? fileIdOf(connection().manager, cloudPath) : `cloud://<env>/${cloudPath}`,
      );
      const parsed = parseCampaign(config);
      if (!parsed.ok) {
        throw new DeployError(
          'first campaign',
          `${campaignSource.origin} is not a valid campaign:\n    ${parsed.problems.map(problemText).join('\n    ')}`,
          'fix the config file and rerun',
        );
      }
      const campaign = parsed.campaign;
      const what = `campaign ${campaign.id} “${campaign.title}”`;
      if (!connected) return [unknown(what, `from ${campaignSource.origin}, if none exists`)];
      const db = connection().database();
      const { total } = await db.collection(COLLECTIONS.campaigns).count();
      if (typeof total !== 'number') throw new Error('the database did not answer a count');
      if (total > 0) {
        return [ok('campaigns', `${total} already there: not replaced (edit with campaign.put)`)];
      }
      return [
        change(what, `none exists → create from ${campaignSource.origin}`, async () => {
          for (const { _id, ...shard } of emptyCounterShards(campaign.id)) {
            await db.collection(COLLECTIONS.counters).doc(_id).set({ data: shard });
          }
          // The documents `campaign.put` makes: the stock shards, then the campaign itself.
          for (const { _id, ...shard } of initialStockShards(
            campaign.id,
            campaign.lottery.prizes,
          )) {
            await db.collection(COLLECTIONS.stock).doc(_id).set({ data: shard });
          }
          const doc: Omit<CampaignDoc, '_id'> = {
            config: campaign,
            active: true,
            updatedAt: new Date(),
          };
          await db.collection(COLLECTIONS.campaigns).doc(campaign.id).set({ data: doc });
        }),
      ];
    },
  };
}

/**
 * `--owner <openid>`: the first operator. (A one-time setup code printed by deploy would replace
 * this step: a step that writes the code's hash, and an admin action that trades it for the role.)
 */
export function firstOwnerStep(openid: string, database: () => DocumentDatabase): Step {
  return {
    part: 'database',
    title: 'first owner',
    async plan(connected) {
      const what = `owner ${openid}`;
      if (!connected) return [unknown(what, 'in admins')];
      const admins = database().collection(COLLECTIONS.admins);
      const [current] = (await admins.where({ _id: openid }).get()).data as AdminDoc[];
      if (current?.role === 'owner') return [ok(what)];
      return [
        change(what, current ? `is ${current.role} → owner` : 'missing → add', async () => {
          const doc: Omit<AdminDoc, '_id'> = { role: 'owner', name: current?.name ?? '负责人' };
          await admins.doc(openid).set({ data: doc });
        }),
      ];
    },
  };
}

/**
 * Without `--owner`: when the environment has no owner yet, a one-time owner setup code (the
 * operator studio's bind flow, `scripts/owner-setup-code.ts`), printed for the person who will
 * run the shop to type on the Mini Program's bind page. With an owner there it does nothing.
 */
export function ownerSetupCodeStep(
  database: () => DocumentDatabase,
  print: (line: string) => void,
): Step {
  return {
    part: 'database',
    title: 'first owner (setup code)',
    async plan(connected) {
      const what = 'owner setup code';
      if (!connected) return [unknown(what, 'printed here when the environment has no owner')];
      const owners = await database()
        .collection(COLLECTIONS.admins)
        .where({ role: 'owner' })
        .count();
      if (owners.total > 0) return [ok('owner', `${owners.total} already: no setup code`)];
      return [
        change(what, 'no owner → a one-time code (24 h)', async () => {
          const issued = await issueOwnerSetupCode(database());
          if (issued) print(`  owner setup code: ${issued.printed}`);
        }),
      ];
    },
  };
}
