/**
 * The campaign: one JSON document that configures everything (SPEC §2), validated on load and
 * on every admin edit. `parseCampaign` turns zod issues into readable lines with a path, e.g.
 * `lottery.prizes[2].stock: must be a whole number ≥ 0 or null (unlimited)`, so an operator sees
 * every problem at once and the old config stays active.
 *
 * Decisions:
 * - Instants stay ISO-8601 strings with an offset or Z (`2025-03-01T10:00:00+08:00`): a JSON
 *   document round-trips unchanged and the offset makes the instant unambiguous. Domain code
 *   turns them into `Date`s where it compares them.
 * - Money is in fen (分), integers, as WeChat Pay counts it.
 * - Prize weights are whole numbers (relative odds, e.g. 5 / 150 / 300): the server draws with an
 *   integer RNG, so no float rounding skews the odds.
 * - Unknown keys are dropped rather than rejected, so a stored document may carry bookkeeping
 *   fields (`_id`, `updatedAt`) next to the config.
 * - Cross-field checks run even when some other field is broken, so one edit reports every
 *   problem instead of revealing them one at a time.
 */
import { z } from 'zod';

const INSTANT_HINT =
  'must be an ISO-8601 instant with an offset or Z, e.g. 2025-03-01T10:00:00+08:00';

// A missing instant falls through to the generic 'is required'.
const instant = z.iso.datetime({
  offset: true,
  error: (issue) => (issue.input === undefined ? undefined : INSTANT_HINT),
});
const id = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,32}$/, { error: 'must be 1–32 letters, digits, _ or -' });
const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(max, { error: `must be at most ${max} characters` });
/** A link or a cloud fileID (`cloud://…`) or a bundled path (`/assets/…`). */
const location = text(1024);
const wholeNumber = (min: number, max: number) =>
  z
    .number()
    .int({ error: `must be a whole number from ${min} to ${max}` })
    .min(min, { error: `must be a whole number from ${min} to ${max}` })
    .max(max, { error: `must be a whole number from ${min} to ${max}` });
const fen = (min: number) =>
  z
    .number()
    .int({ error: `must be a whole number of fen (分) ≥ ${min}` })
    .min(min, { error: `must be a whole number of fen (分) ≥ ${min}` });

/** Checks that must run even when sibling fields failed (they read the raw value defensively). */
const always = { when: () => true };

type Loose = Record<string, unknown>;
function asRecord(value: unknown): Loose | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Loose)
    : undefined;
}
function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
/** Milliseconds of a valid instant string, else undefined (its own field already reports it). */
function instantMs(value: unknown): number | undefined {
  return instant.safeParse(value).success ? Date.parse(value as string) : undefined;
}
/** Reports every repeat of a value at `[index, key]`. */
function reportDuplicates(
  items: unknown[],
  key: string,
  label: string,
  ctx: z.RefinementCtx,
): void {
  const seen = new Set<unknown>();
  items.forEach((item, index) => {
    const value = asRecord(item)?.[key];
    if (typeof value !== 'string') return;
    if (seen.has(value)) {
      ctx.addIssue({
        code: 'custom',
        path: [index, key],
        message: `duplicate ${label} "${value}"`,
      });
    }
    seen.add(value);
  });
}

// 优惠券模板: what a coupon grants; coupons are issued from it by the magnet or the wheel.
const couponTemplateSchema = z
  .object({
    id,
    title: text(40),
    kind: z.enum(['discount', 'cash']),
    /** 0.8 = 8折 (the customer pays 80 %). */
    rate: z
      .number()
      .min(0.1, { error: 'must be between 0.1 and 0.99 (0.8 = 8折)' })
      .max(0.99, { error: 'must be between 0.1 and 0.99 (0.8 = 8折)' })
      .optional(),
    /** 满 threshold 减 amount; 0 or absent = no threshold (无门槛). */
    threshold: fen(0).optional(),
    amount: fen(1).optional(),
    /** Valid until the end of the Shanghai day `validDays` after issue (0 = the issue day). */
    validDays: wholeNumber(0, 3650).optional(),
    /** Or valid until this instant, whenever issued. */
    validUntil: instant.optional(),
    /** Audience segment the template is meant for (e.g. `new`), for the operator's reports. */
    segment: text(32).optional(),
  })
  .superRefine((value, ctx) => {
    const t = asRecord(value);
    if (!t) return;
    if (t.kind === 'discount') {
      if (t.rate === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['rate'],
          message: 'a discount coupon needs a rate between 0.1 and 0.99 (0.8 = 8折)',
        });
      }
      if (t.amount !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['amount'],
          message: 'only a cash coupon has an amount',
        });
      }
    }
    if (t.kind === 'cash') {
      if (t.amount === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['amount'],
          message: 'a cash coupon needs an amount in fen (分)',
        });
      }
      if (t.rate !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['rate'],
          message: 'only a discount coupon has a rate',
        });
      }
    }
    if (
      typeof t.threshold === 'number' &&
      typeof t.amount === 'number' &&
      t.threshold > 0 &&
      t.amount >= t.threshold
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['amount'],
        message: `must be less than the threshold (${t.threshold} fen)`,
      });
    }
    const hasDays = t.validDays !== undefined;
    const hasUntil = t.validUntil !== undefined;
    if (hasDays === hasUntil) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: `needs exactly one of validDays or validUntil (found ${hasDays ? 'both' : 'neither'})`,
      });
    }
  }, always);

// 奖品 / 转盘扇区: one sector of the wheel.
const prizeSchema = z
  .object({
    id,
    name: text(20),
    kind: z.enum(['coupon', 'resource', 'physical', 'none']),
    weight: z
      .number()
      .int({ error: 'must be a whole number ≥ 0 (relative odds)' })
      .min(0, { error: 'must be a whole number ≥ 0 (relative odds)' })
      .max(1_000_000, { error: 'must be at most 1000000' }),
    stock: z
      .number({ error: 'must be a whole number ≥ 0 or null (unlimited)' })
      .int({ error: 'must be a whole number ≥ 0 or null (unlimited)' })
      .min(0, { error: 'must be a whole number ≥ 0 or null (unlimited)' })
      .nullable(),
    couponTemplateId: id.optional(),
    resourceUrl: location.optional(),
    /** 兜底: what a lost stock race or a risk downgrade gets; exactly one, unlimited stock. */
    fallback: z.boolean().default(false),
  })
  .superRefine((value, ctx) => {
    const p = asRecord(value);
    if (!p) return;
    if (p.kind === 'coupon' && p.couponTemplateId === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['couponTemplateId'],
        message: 'a coupon prize needs a couponTemplateId',
      });
    }
    if (p.kind !== 'coupon' && p.couponTemplateId !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['couponTemplateId'],
        message: 'only a coupon prize names a coupon template',
      });
    }
    if (p.kind === 'resource' && p.resourceUrl === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['resourceUrl'],
        message: 'a resource prize needs a resourceUrl (e.g. the 资料包 link)',
      });
    }
    if (p.fallback === true && typeof p.stock === 'number') {
      ctx.addIssue({
        code: 'custom',
        path: ['stock'],
        message: 'the fallback prize must have unlimited stock (null)',
      });
    }
  }, always);

const prizesSchema = z.array(prizeSchema).superRefine((value, ctx) => {
  if (!Array.isArray(value)) return;
  const prizes: unknown[] = value;
  if (prizes.length < 6 || prizes.length > 12) {
    ctx.addIssue({
      code: 'custom',
      path: [],
      message: `must have 6–12 prizes (wheel sectors), found ${prizes.length}`,
    });
  }
  const fallbacks = prizes.filter((p) => asRecord(p)?.fallback === true).length;
  if (fallbacks !== 1) {
    ctx.addIssue({
      code: 'custom',
      path: [],
      message: `exactly one prize must be the fallback (found ${fallbacks})`,
    });
  }
  reportDuplicates(prizes, 'id', 'prize id', ctx);
  const weights = prizes.map((p) => asRecord(p)?.weight);
  const allValid = weights.every((w) => typeof w === 'number' && Number.isInteger(w) && w >= 0);
  if (prizes.length > 0 && allValid && (weights as number[]).reduce((a, b) => a + b, 0) <= 0) {
    ctx.addIssue({ code: 'custom', path: [], message: 'weights must add up to more than 0' });
  }
}, always);

const windowSchema = z
  .object({ startAt: instant, endAt: instant })
  .refine((w) => Date.parse(w.endAt) > Date.parse(w.startAt), {
    path: ['endAt'],
    error: 'must be after startAt',
  });

export const campaignSchema = z
  .object({
    id,
    title: text(40),
    startAt: instant,
    endAt: instant,
    // 引流抓手: the lead magnet a visitor claims, available during its claim window (有时效).
    magnet: z.object({
      title: text(40),
      description: text(500),
      image: location,
      claimWindow: windowSchema,
      reward: z
        .object({ resourceUrl: location.optional(), couponTemplateId: id.optional() })
        .refine((r) => r.resourceUrl !== undefined || r.couponTemplateId !== undefined, {
          error: 'needs a resourceUrl, a couponTemplateId, or both',
        }),
    }),
    // 大转盘
    lottery: z.object({
      dailyFreeSpins: wholeNumber(0, 20).default(1),
      spinsPerVerifiedInvite: wholeNumber(0, 20).default(1),
      /** At most this many bonus spins can be *earned* per Shanghai day; the balance carries over. */
      maxBonusSpinsPerDay: wholeNumber(0, 100).default(5),
      prizes: prizesSchema,
    }),
    couponTemplates: z
      .array(couponTemplateSchema)
      .superRefine(
        (value, ctx) => reportDuplicates(asList(value), 'id', 'coupon template id', ctx),
        always,
      )
      .default([]),
    // 黑卡: unlocked by verified invites. Rights are read from the current config, never copied.
    blackCard: z.object({
      invitesRequired: wholeNumber(1, 100).default(3),
      rights: z
        .array(z.object({ id, title: text(20), description: text(200) }))
        .min(1, { error: 'needs at least one right' })
        .superRefine(
          (value, ctx) => reportDuplicates(asList(value), 'id', 'right id', ctx),
          always,
        ),
    }),
    // 邀请 and 风控 (risk ranks from riskControl.getUserRiskRank are 0–4, 4 the riskiest)
    invite: z
      .object({
        maxVerifiedPerInviterPerDay: wholeNumber(1, 10_000).default(50),
        riskRankBlock: wholeNumber(0, 4).default(4),
        riskRankDowngrade: wholeNumber(0, 4).default(3),
      })
      .refine((r) => r.riskRankDowngrade <= r.riskRankBlock, {
        path: ['riskRankDowngrade'],
        error: 'must be ≤ riskRankBlock',
      })
      .prefault({}),
    // 社群 / 群活码
    groups: z.object({
      /** When a visitor may be handed a group QR: after claiming the magnet, or after the black card. */
      after: z.enum(['claim', 'blackcard']),
      /** Shown when no group has room (客服 QR). */
      fallbackContact: z.object({ title: text(40), qrUrl: location, note: text(200).optional() }),
      /** Hand-outs per group QR; a WeChat group QR stops admitting scanners at 200 members. */
      defaultCapacity: wholeNumber(1, 200).default(180),
    }),
    // 渠道: where visitors come from, with optional spend for cost per verified user.
    channels: z
      .array(
        z.object({
          code: z.string().regex(/^[a-z0-9_-]{1,16}$/, {
            error: 'must be 1–16 characters of a-z, 0-9, _ or -',
          }),
          name: text(20),
          cost: fen(0).optional(),
        }),
      )
      .superRefine((value, ctx) => {
        const channels = asList(value);
        reportDuplicates(channels, 'code', 'channel code', ctx);
        if (Array.isArray(value) && !channels.some((c) => asRecord(c)?.code === 'share')) {
          ctx.addIssue({
            code: 'custom',
            path: [],
            message: 'must include the "share" channel (invite links use ch=share)',
          });
        }
      }, always),
  })
  .superRefine((value, ctx) => {
    const c = asRecord(value);
    if (!c) return;
    const start = instantMs(c.startAt);
    const end = instantMs(c.endAt);
    const campaignValid = start !== undefined && end !== undefined && end > start;
    if (start !== undefined && end !== undefined && end <= start) {
      ctx.addIssue({ code: 'custom', path: ['endAt'], message: 'must be after startAt' });
    }

    const magnet = asRecord(c.magnet);
    const claimWindow = asRecord(magnet?.claimWindow);
    const claimStart = instantMs(claimWindow?.startAt);
    const claimEnd = instantMs(claimWindow?.endAt);
    if (
      campaignValid &&
      claimStart !== undefined &&
      claimEnd !== undefined &&
      (claimStart < start || claimEnd > end)
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['magnet', 'claimWindow'],
        message: 'must lie inside the campaign (startAt … endAt)',
      });
    }

    // References to coupon templates must resolve, or an issue would hand out nothing.
    const templates = asList(c.couponTemplates).map(asRecord);
    const known = new Set(templates.map((t) => t?.id).filter((x) => typeof x === 'string'));
    const checkReference = (ref: unknown, path: (string | number)[]) => {
      if (typeof ref === 'string' && !known.has(ref)) {
        ctx.addIssue({ code: 'custom', path, message: `unknown coupon template "${ref}"` });
      }
    };
    checkReference(asRecord(magnet?.reward)?.couponTemplateId, [
      'magnet',
      'reward',
      'couponTemplateId',
    ]);
    asList(asRecord(c.lottery)?.prizes).forEach((prize, index) =>
      checkReference(asRecord(prize)?.couponTemplateId, [
        'lottery',
        'prizes',
        index,
        'couponTemplateId',
      ]),
    );

    templates.forEach((t, index) => {
      const until = instantMs(t?.validUntil);
      if (start !== undefined && until !== undefined && until <= start) {
        ctx.addIssue({
          code: 'custom',
          path: ['couponTemplates', index, 'validUntil'],
          message: 'must be after the campaign starts (startAt)',
        });
      }
    });
  }, always);

export type Campaign = z.output<typeof campaignSchema>;
/** What an operator writes: defaults not yet applied. */
export type CampaignInput = z.input<typeof campaignSchema>;
export type Prize = Campaign['lottery']['prizes'][number];
export type PrizeKind = Prize['kind'];
export type CouponTemplate = Campaign['couponTemplates'][number];
export type BlackCardRight = Campaign['blackCard']['rights'][number];
export type Channel = Campaign['channels'][number];
export type InviteRules = Campaign['invite'];

const TYPE_NAMES: Record<string, string> = {
  object: 'an object',
  array: 'a list',
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
};

/** Plain-language messages for the issues the schema does not word itself. */
const readableIssue: z.core.$ZodErrorMap = (issue) => {
  if (issue.code === 'invalid_type') {
    if (issue.input === undefined) return 'is required';
    return `must be ${TYPE_NAMES[issue.expected] ?? issue.expected}`;
  }
  if (issue.code === 'invalid_value') {
    return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  return undefined;
};

/** `lottery.prizes[2].stock`; the document itself is `(campaign)`. */
function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out || '(campaign)';
}

export function parseCampaign(
  input: unknown,
): { ok: true; campaign: Campaign } | { ok: false; problems: string[] } {
  const result = campaignSchema.safeParse(input, { error: readableIssue });
  if (result.success) return { ok: true, campaign: result.data };
  const problems = result.error.issues.map(
    (issue) => `${formatPath(issue.path)}: ${issue.message}`,
  );
  return { ok: false, problems: [...new Set(problems)] };
}
