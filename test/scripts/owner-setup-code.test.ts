/**
 * The first owner's setup code (operator studio, issue 9), as the deploy step issues it: through
 * wx-server-sdk's database (here the emulator's), then used on the bind page's action.
 */
import { Emulator } from '../../emulator/emulator';
import { issueOwnerSetupCode, SETUP_CODE_TTL_MS } from '../../scripts/owner-setup-code';

let emulator: Emulator;
beforeEach(async () => {
  emulator = await Emulator.start({ dataDir: null, seed: false });
});
afterEach(() => emulator.close());

const bind = async (openid: string, code: string) =>
  (await emulator.invoke('api', { action: 'admin.bind', code }, { openid })).result as {
    ok: boolean;
    data?: { role: string };
    error?: { code: string };
  };

it('issues a code in a fresh environment that makes its user the owner, once', async () => {
  const now = new Date(emulator.clock.now());
  const issued = await issueOwnerSetupCode(emulator.sdk.database() as never, now);
  expect(issued).not.toBeNull();
  expect(issued!.printed).toMatch(/^[2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5} — /);
  expect(issued!.expiresAt.getTime() - now.getTime()).toBe(SETUP_CODE_TTL_MS);
  expect(await bind('shop-owner', issued!.code)).toMatchObject({
    ok: true,
    data: { role: 'owner' },
  });
  expect(await bind('someone-else', issued!.code)).toMatchObject({
    ok: false,
    error: { code: 'BAD_TOKEN' },
  });
  // an owner exists now: a rerun of the deploy issues nothing
  expect(await issueOwnerSetupCode(emulator.sdk.database() as never, now)).toBeNull();
});
