import type { CallEvent, Disposition } from '../../events/types';

/** Every way a dialled call can end without reaching anyone. */
const UNANSWERED: ReadonlySet<Disposition> = new Set<Disposition>(['no_answer', 'busy', 'rejected', 'failed', 'invalid_number']);

/**
 * Whether an ended call went unanswered (or the number was invalid).
 * Without a disposition, a connected time of 0 says it never connected; with
 * neither, the outcome is unknown and the call is left out of the share.
 */
export function wasUnanswered(end: CallEvent): boolean | undefined {
  if (end.disposition !== undefined) return UNANSWERED.has(end.disposition);
  if (end.durationMs !== undefined) return end.durationMs === 0;
  return undefined;
}

/** Connected time of an ended call: 0 when it never connected; unknown when an answered call carries no duration. */
export function connectedMs(end: CallEvent): number | undefined {
  if (end.durationMs !== undefined) return end.durationMs;
  if (end.disposition !== undefined && end.disposition !== 'answered') return 0;
  return undefined;
}
