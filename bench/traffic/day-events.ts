import type { OriginChannel, TelemetryEvent } from '../../src/events/types';
import { KIND, personaOf, planDay, type DayPlan, type Persona } from './day-plan';

/**
 * Contract events from a day plan, in event-time order, made one at a time so
 * that only the events in hand are on the heap. Deterministic: the same plan
 * gives the same events, ids included.
 */
const CHANNEL: Record<Persona, OriginChannel> = { ordinary: 'app', heavy_texter: 'app', spammer: 'api', robocaller: 'api' };
const REASONS = ['spam', 'unwanted', 'fraud'] as const;

export function accountIdOf(i: number): string {
  return `acct-${String(i).padStart(7, '0')}`;
}

function ownNumber(i: number): string {
  return `+1415${String(i % 10_000_000).padStart(7, '0')}`;
}

/** Ordinary people message a small circle of contacts; spammers anyone. */
function recipient(persona: Persona, account: number, draw: number): string {
  const suffix = persona === 'spammer' ? 2_000_000 + (draw % 8_000_000) : 2_000_000 + ((Math.imul(account, 7919) + (draw % 40)) >>> 0) % 8_000_000;
  return `+1212${suffix}`;
}

export function eventAt(plan: DayPlan, position: number): TelemetryEvent {
  const { rows, calls } = plan;
  const n = plan.order[position] ?? 0;
  const i = rows.account[n] ?? 0;
  const kind = rows.kind[n] ?? 0;
  const detail = rows.detail[n] ?? 0;
  const persona = personaOf(i);
  const eventTime = plan.startTime + (rows.time[n] ?? 0);
  const eventId = `d${plan.seed}-${n.toString(36)}`;
  const accountId = accountIdOf(i);
  const deviceId = `dev-${i.toString(36)}`;
  // Object literals written out, not spread: spreading costs more than the rest of making an event.
  if (kind <= KIND.callEnd) {
    const callId = `call-${plan.seed}-${detail.toString(36)}`;
    const from = ownNumber(i);
    const to = `+1212${calls.to[detail] ?? 2_000_000}`;
    const originChannel = CHANNEL[persona];
    if (kind === KIND.callStart) return { type: 'call', eventId, eventTime, accountId, callId, phase: 'start', deviceId, from, to, originChannel };
    if (kind === KIND.callAnswer) return { type: 'call', eventId, eventTime, accountId, callId, phase: 'answer', deviceId, from, to, originChannel };
    const durationMs = calls.durationMs[detail] ?? 0;
    return { type: 'call', eventId, eventTime, accountId, callId, phase: 'end', deviceId, from, to, originChannel, disposition: durationMs > 0 ? 'answered' : 'no_answer', durationMs };
  }
  if (kind === KIND.message) {
    const contentHash = persona === 'spammer' ? `h-promo-${i % 5}` : `h-${detail.toString(16)}`;
    return { type: 'message', eventId, eventTime, accountId, messageId: `msg-${plan.seed}-${n.toString(36)}`, deviceId, from: ownNumber(i), to: recipient(persona, i, detail), contentHash, contentLength: 5 + (detail % 155), originChannel: CHANNEL[persona] };
  }
  if (kind === KIND.registration) {
    return { type: 'registration', eventId, eventTime, accountId, phoneNumber: ownNumber(i), deviceId, ipAddress: `10.${(detail >>> 16) & 255}.${(detail >>> 8) & 255}.${detail & 255}`, verification: detail % 20 === 0 ? 'failed' : 'verified' };
  }
  return { type: 'report', eventId, eventTime, accountId, reporterNumber: `+1212${2_000_000 + (detail % 8_000_000)}`, reason: REASONS[detail % REASONS.length] ?? 'spam' };
}

/** Events `from` (inclusive) to `to` (exclusive) in event-time order. */
export function* dayEvents(plan: DayPlan, from = 0, to = plan.order.length): Generator<TelemetryEvent> {
  for (let p = from; p < Math.min(to, plan.order.length); p++) yield eventAt(plan, p);
}

/** Average events per account per day of this shape, measured on a sample, for sizing a population to a record count. */
export function eventsPerAccount(): number {
  const sample = planDay(5_000, 1);
  return sample.order.length / sample.accounts;
}
