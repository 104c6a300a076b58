/** @jest-environment jsdom */
import { classesOf, mount, textOf } from '../support/simulate';

function slots(props: Record<string, number>) {
  const comp = mount('components/invite-slots/index', props);
  const states = () =>
    comp.querySelectorAll('.invite-slots__slot').map((slot) => {
      const state = classesOf(slot).find((c) => c.startsWith('invite-slots__slot--'));
      return state?.replace('invite-slots__slot--', '');
    });
  return { comp, states };
}

test('one seat per required invite: filled for verified, dashed for pending, then empty', () => {
  const { comp, states } = slots({ required: 3, verified: 1, pending: 1 });
  expect(states()).toEqual(['verified', 'pending', 'empty']);
  expect(textOf(comp.querySelector('.invite-slots__progress'))).toBe('1/3');
  expect(textOf(comp.querySelector('.invite-slots__pending'))).toBe('1 位好友待完成领取');
  expect(classesOf(comp.querySelector('.invite-slots'))).not.toContain('invite-slots--complete');
});

test('no invites yet: 0/3 and no pending note', () => {
  const { comp, states } = slots({});
  expect(states()).toEqual(['empty', 'empty', 'empty']);
  expect(textOf(comp.querySelector('.invite-slots__progress'))).toBe('0/3');
  expect(comp.querySelector('.invite-slots__pending')).toBeUndefined();
});

test('complete: every seat filled, extra verified friends do not overflow the count', () => {
  const { comp, states } = slots({ required: 3, verified: 5, pending: 2 });
  expect(states()).toEqual(['verified', 'verified', 'verified']);
  expect(textOf(comp.querySelector('.invite-slots__progress'))).toBe('3/3');
  expect(classesOf(comp.querySelector('.invite-slots'))).toContain('invite-slots--complete');
  // the pending friends are still mentioned though no seat is left for them
  expect(textOf(comp.querySelector('.invite-slots__pending'))).toBe('2 位好友待完成领取');
});

test('follows new numbers', () => {
  const { comp, states } = slots({ required: 5, verified: 0, pending: 0 });
  comp.setData({ verified: 2, pending: 2 });
  expect(states()).toEqual(['verified', 'verified', 'pending', 'pending', 'empty']);
  expect(textOf(comp.querySelector('.invite-slots__progress'))).toBe('2/5');
});
