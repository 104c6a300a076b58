/**
 * Operator studio (issue 9): the role check the owners' pages start with. Visitors get a polite
 * refusal, staff a pointer to what they can do, owners the page.
 */
import { callAdmin, friendlyMessage } from '../../services/api';

export type Gate =
  | { state: 'owner'; name: string }
  | { state: 'refused' | 'staff'; message: string }
  | { state: 'error'; message: string };

export async function ownerGate(): Promise<Gate> {
  const me = await callAdmin('admin.whoami', {});
  if (!me.ok) {
    if (me.error.code === 'FORBIDDEN') return { state: 'refused', message: '' };
    return { state: 'error', message: friendlyMessage(me.error) };
  }
  if (me.data.role !== 'owner') return { state: 'staff', message: '' };
  return { state: 'owner', name: me.data.name };
}
