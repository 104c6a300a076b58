/**
 * The shape every deploy step shares: it reads what the environment has (or, with no
 * credentials, only what the project declares), lists what is already right and what must
 * change, and applies the changes one by one. A rerun reads again, so it does only what is left.
 */

export type Part = 'functions' | 'database' | 'storage' | 'miniprogram';
export const PARTS: readonly Part[] = ['functions', 'database', 'storage', 'miniprogram'];

export interface PlanItem {
  /** e.g. `collection users`, `index users.inviteCode_unique (unique)` */
  what: string;
  /** `ok`: already as declared; `change`: `apply` makes it so; `unknown`: not compared */
  state: 'ok' | 'change' | 'unknown';
  /** why it changes or what was found, e.g. `missing`, `timeout 3 → 10 s` */
  note?: string;
  apply?: () => Promise<void>;
}

export interface Step {
  part: Part;
  title: string;
  /** What is declared and, when `connected`, what the environment lacks. */
  plan(connected: boolean): Promise<PlanItem[]>;
}

/** A refused or impossible step: what failed and what the user can do about it. */
export class DeployError extends Error {
  constructor(
    readonly step: string,
    message: string,
    readonly fix?: string,
  ) {
    super(message);
  }
}

export const ok = (what: string, note?: string): PlanItem => ({ what, state: 'ok', note });
export const unknown = (what: string, note?: string): PlanItem => ({
  what,
  state: 'unknown',
  note,
});
export const change = (what: string, note: string, apply: () => Promise<void>): PlanItem => ({
  what,
  state: 'change',
  note,
  apply,
});

export interface Output {
  log(line: string): void;
}

const MARK = { ok: '=', change: '+', unknown: '·' } as const;

/**
 * Plans each step and (unless `dryRun`) applies its changes, printing progress. A failure stops
 * everything with a DeployError naming the step; what was done before it stays done.
 */
export async function runSteps(
  steps: Step[],
  options: { dryRun: boolean; connected: (step: Step) => boolean; out: Output },
): Promise<{ changes: number; uncompared: number }> {
  const { out } = options;
  let changes = 0;
  let uncompared = 0;
  for (const step of steps) {
    out.log(`\n▸ ${step.title}`);
    const items = await planned(step, options.connected(step));
    for (const item of items) {
      const line = `  ${MARK[item.state]} ${item.what}${item.note ? `  (${item.note})` : ''}`;
      if (item.state !== 'change' || !item.apply) {
        if (item.state === 'unknown') uncompared += 1;
        out.log(line);
        continue;
      }
      changes += 1;
      if (options.dryRun) {
        out.log(`${line}  — would change`);
        continue;
      }
      out.log(`${line} …`);
      try {
        await item.apply();
      } catch (error) {
        throw asDeployError(`${step.title}: ${item.what}`, error);
      }
      out.log(`    done`);
    }
  }
  return { changes, uncompared };
}

async function planned(step: Step, connected: boolean): Promise<PlanItem[]> {
  try {
    return await step.plan(connected);
  } catch (error) {
    throw asDeployError(step.title, error);
  }
}

/** The SDKs' errors carry a code and a request id worth showing (CloudBaseError, errCode). */
export function asDeployError(step: string, error: unknown): DeployError {
  if (error instanceof DeployError) return error;
  const e = error as { message?: string; code?: string; errCode?: number; requestId?: string };
  const detail = [
    e.code ?? (e.errCode !== undefined ? `errCode ${e.errCode}` : undefined),
    e.requestId ? `request ${e.requestId}` : undefined,
  ].filter(Boolean);
  const message = `${e.message ?? String(error)}${detail.length ? ` [${detail.join(', ')}]` : ''}`;
  return new DeployError(step, message, fixFor(e.code ?? ''));
}

/** What to do about the refusals a first deploy meets most. */
function fixFor(code: string): string | undefined {
  if (code.startsWith('AuthFailure'))
    return 'check TCB_SECRET_ID / TCB_SECRET_KEY (an API key of the account that owns the environment)';
  if (code.startsWith('UnauthorizedOperation'))
    return 'the API key lacks permission: grant it QcloudTCBFullAccess (or the account admin) in CAM';
  if (code.startsWith('ResourceNotFound'))
    return 'check TCB_ENV_ID: the environment must exist in this account and region (TCB_REGION, default ap-shanghai)';
  return undefined;
}
