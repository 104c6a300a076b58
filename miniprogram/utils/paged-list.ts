/**
 * Lists read a page at a time (Rewards, issue 12: the ledger, the winners): the first page
 * (`fresh`) or the next one from where the last ended, one load at a time.
 */
import type { Envelope } from '../../cloudfunctions/_shared/contracts';

export interface PageState {
  loading: boolean;
  /** where the next page starts (the last answer's `next`) */
  next?: string;
}

/** Runs `fetch` with the cursor it needs; null when a load is already under way. */
export async function loadPage<D extends { next?: string }>(
  state: PageState,
  fresh: boolean,
  fetch: (cursor: { cursor?: string }) => Promise<Envelope<D>>,
): Promise<Envelope<D> | null> {
  if (state.loading) return null;
  state.loading = true;
  try {
    const answer = await fetch(!fresh && state.next ? { cursor: state.next } : {});
    if (answer.ok) state.next = answer.data.next;
    return answer;
  } finally {
    state.loading = false;
  }
}
