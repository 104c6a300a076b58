/** @jest-environment jsdom */
/**
 * The visit's one `session.enter`, against the real backend: a returning visitor who opened too
 * many invite links today still gets in (without the code), and nothing is counted for it.
 */
import { ensureSession, resetSession } from '../../../miniprogram/services/session';
import { usePageBackend } from '../support/backend';

const backend = usePageBackend();

test('a visitor refused an invite code for the day still enters, without the code', async () => {
  backend.actAs('returning');
  await ensureSession({});
  const enters = () => backend.calls.filter((c) => c.data.action === 'session.enter');
  for (let i = 0; i < 10; i++) {
    resetSession();
    const answer = await ensureSession({ inv: `ZZZZ${i.toString().padStart(4, '2')}` });
    expect(answer.ok).toBe(true);
  }
  const before = enters().length;
  resetSession();
  const answer = await ensureSession({ inv: 'ZZZZ9999' });
  expect(answer).toMatchObject({ ok: true, data: { invite: { status: 'none' } } });
  // refused with the code, then entered without it
  expect(
    enters()
      .slice(before)
      .map((c) => c.data.inviteCode),
  ).toEqual(['ZZZZ9999', undefined]);
});
