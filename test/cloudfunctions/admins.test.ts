/**
 * Operator studio (issue 9), getting in: one-time bind codes (work once, expire, never raise
 * their creator), the setup code the deploy step prints, the 管理 entry only admins learn of, and
 * owners removing admins but never the last owner.
 */
import { bindCodeId, setupCode } from '../../cloudfunctions/_shared/bind-codes';
import { COLLECTIONS } from '../../cloudfunctions/_shared/collections';
import { toJsonSafe } from '../../emulator/store';
import { OWNER, STAFF, data, enter, errorCode, storedDocs, useBackend } from '../support/emulator';

const backend = useBackend();

const docs = (collection: string) => storedDocs(backend, collection);
const roleOf = (openid: string) => docs('admins').find((a) => a._id === openid)?.role;

async function makeCode(role: 'staff' | 'owner' = 'staff', name = '店员小王', by = OWNER) {
  return data(await backend.admin(by, 'admins.createBindCode', { role, name }));
}

describe('bind codes', () => {
  it('makes whoever uses it staff, under the name the owner gave, and shows them the way in', async () => {
    await backend.emulator.freezeClock();
    const { code, qrImage, expiresAt } = await makeCode();
    expect(code).toMatch(/^[2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5}$/);
    // a Mini Program code (PNG) that opens the bind page
    expect(qrImage).toMatch(/^data:image\/png;base64,iVBOR/);
    const now = backend.emulator.clock.now();
    expect(Date.parse(expiresAt) - now).toBe(10 * 60 * 1000);
    // the code is not in the database, only its hash
    expect(JSON.stringify(docs('bind_codes'))).not.toContain(code.replace('-', ''));

    const visitor = await enter(backend, 'new-staff');
    expect(visitor).not.toHaveProperty('role');
    // typed with a space instead of the dash, in lower case: still the code
    const bound = data(
      await backend.api('new-staff', 'admin.bind', { code: code.replace('-', ' ').toLowerCase() }),
    );
    expect(bound).toEqual({ role: 'staff', name: '店员小王' });
    expect(data(await backend.admin('new-staff', 'admin.whoami'))).toEqual({
      role: 'staff',
      name: '店员小王',
    });
    expect(data(await backend.api('new-staff', 'session.enter', {})).role).toBe('staff');
  });

  it('works once: a second person is refused, the same person again is answered the same', async () => {
    const { code } = await makeCode();
    data(await backend.api('first', 'admin.bind', { code }));
    expect(data(await backend.api('first', 'admin.bind', { code }))).toEqual({
      role: 'staff',
      name: '店员小王',
    });
    const before = backend.snapshot();
    expect(await backend.api('second', 'admin.bind', { code })).toMatchObject({
      ok: false,
      error: { code: 'BAD_TOKEN', message: expect.stringContaining('已经用过') },
    });
    expect(backend.snapshot()).toEqual(before);
    expect(roleOf('second')).toBeUndefined();
  });

  it('binds exactly one of many people scanning the same code at once', async () => {
    const { code } = await makeCode();
    const people = Array.from({ length: 12 }, (_, i) => `scanner-${i}`);
    backend.emulator.faults.latencyMs = 1;
    const answers = await Promise.all(people.map((p) => backend.api(p, 'admin.bind', { code })));
    backend.emulator.faults.latencyMs = 0;
    expect(answers.filter((a) => a.ok)).toHaveLength(1);
    expect(answers.filter((a) => errorCode(a) === 'BAD_TOKEN')).toHaveLength(11);
    expect(people.filter((p) => roleOf(p) === 'staff')).toHaveLength(1);
  });

  it('expires after 10 minutes', async () => {
    const { code } = await makeCode();
    await backend.emulator.advanceClock(10 * 60 * 1000);
    const before = backend.snapshot();
    expect(await backend.api('late', 'admin.bind', { code })).toMatchObject({
      ok: false,
      error: { code: 'BAD_TOKEN', message: expect.stringContaining('已过期') },
    });
    expect(backend.snapshot()).toEqual(before);
  });

  it('cannot be used by the person who made it, so nobody raises their own role', async () => {
    // a staff member cannot make codes at all
    expect(
      errorCode(await backend.admin(STAFF, 'admins.createBindCode', { role: 'owner', name: 'x' })),
    ).toBe('FORBIDDEN');
    // an owner's own code is refused to them, and stays good for the person it was meant for
    data(await backend.admin(OWNER, 'admins.createBindCode', { role: 'owner', name: '新店长' }));
    const { code } = await makeCode('owner', '新店长');
    expect(await backend.api(OWNER, 'admin.bind', { code })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(data(await backend.api('new-owner', 'admin.bind', { code })).role).toBe('owner');
  });

  it('raises staff to owner with an owner code, and never lowers an owner', async () => {
    const owner = await makeCode('owner', '店长');
    expect(data(await backend.api(STAFF, 'admin.bind', { code: owner.code })).role).toBe('owner');
    expect(roleOf(STAFF)).toBe('owner');

    const staff = await makeCode('staff', '店员');
    const before = backend.snapshot();
    expect(await backend.api(STAFF, 'admin.bind', { code: staff.code })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: '你已经是负责人了，无需绑定' },
    });
    expect(backend.snapshot()).toEqual(before);
    // still unused: the person it was meant for can use it
    expect(data(await backend.api('someone', 'admin.bind', { code: staff.code })).role).toBe(
      'staff',
    );
  });

  it('refuses made-up and malformed codes, writing nothing', async () => {
    const before = backend.snapshot();
    for (const code of ['ABCDE-FGHJK', 'short', '0000000000', '']) {
      const answer = await backend.api('guesser', 'admin.bind', { code });
      expect(['BAD_TOKEN', 'BAD_REQUEST']).toContain(errorCode(answer));
    }
    expect(backend.snapshot()).toEqual(before);
  });

  it("binds a fresh environment's first owner with the setup code the deploy step makes", async () => {
    const { code, doc } = setupCode(new Date(backend.emulator.clock.now()));
    const snapshot = backend.snapshot();
    snapshot.collections.admins = [];
    snapshot.collections[COLLECTIONS.bindCodes] = [toJsonSafe(doc)];
    await backend.emulator.importSnapshot(snapshot);
    expect(doc._id).toBe(bindCodeId(code));
    expect(data(await backend.api('first-owner', 'admin.bind', { code }))).toEqual({
      role: 'owner',
      name: '负责人',
    });
    expect(data(await backend.admin('first-owner', 'admins.list')).admins).toEqual([
      expect.objectContaining({ role: 'owner', name: '负责人', me: true }),
    ]);
  });
});

describe('the admin list', () => {
  it('names admins by a reference, never their openid', async () => {
    const { admins } = data(await backend.admin(OWNER, 'admins.list'));
    expect(admins.map((a) => [a.name, a.role, a.me])).toEqual([
      ['演示运营', 'owner', true],
      ['演示店员', 'staff', false],
    ]);
    expect(JSON.stringify(admins)).not.toMatch(/demo-admin|demo-staff/);
    expect(admins.every((a) => /^adm_/.test(a.ref))).toBe(true);
  });

  it('removes staff, who can no longer open the admin area', async () => {
    const { admins } = data(await backend.admin(OWNER, 'admins.list'));
    const staff = admins.find((a) => a.role === 'staff')!;
    expect(data(await backend.admin(OWNER, 'admins.remove', { ref: staff.ref }))).toEqual({
      ref: staff.ref,
    });
    expect(errorCode(await backend.admin(STAFF, 'admin.whoami'))).toBe('FORBIDDEN');
    expect(errorCode(await backend.admin(OWNER, 'admins.remove', { ref: staff.ref }))).toBe(
      'NOT_FOUND',
    );
  });

  it('never removes the last owner', async () => {
    const me = data(await backend.admin(OWNER, 'admins.list')).admins.find((a) => a.me)!;
    const before = backend.snapshot();
    expect(await backend.admin(OWNER, 'admins.remove', { ref: me.ref })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT', message: expect.stringContaining('最后一位负责人') },
    });
    expect(backend.snapshot()).toEqual(before);
  });

  it('keeps an owner when two owners remove each other at the same moment', async () => {
    const { code } = await makeCode('owner', '第二位店长');
    data(await backend.api('owner-2', 'admin.bind', { code }));
    const refs = data(await backend.admin(OWNER, 'admins.list')).admins;
    const refOf = (name: string) => refs.find((a) => a.name === name)!.ref;
    backend.emulator.faults.latencyMs = 1;
    const answers = await Promise.all([
      backend.admin(OWNER, 'admins.remove', { ref: refOf('第二位店长') }),
      backend.admin('owner-2', 'admins.remove', { ref: refOf('演示运营') }),
    ]);
    backend.emulator.faults.latencyMs = 0;
    expect(answers.filter((a) => a.ok)).toHaveLength(1);
    expect(docs('admins').filter((a) => a.role === 'owner')).toHaveLength(1);
  });

  it('lets an owner leave when another owner remains', async () => {
    const { code } = await makeCode('owner', '接任店长');
    data(await backend.api('successor', 'admin.bind', { code }));
    const me = data(await backend.admin(OWNER, 'admins.list')).admins.find((a) => a.me)!;
    data(await backend.admin(OWNER, 'admins.remove', { ref: me.ref }));
    expect(roleOf(OWNER)).toBeUndefined();
    expect(roleOf('successor')).toBe('owner');
  });
});
