import type { CallEvent, MessageEvent, TelemetryEvent } from '../events/types';
import { Random } from './random';

/**
 * Demo traffic: ordinary accounts with a few calls and messages, heavy but
 * legitimate users just under the limits, and abusive accounts far over them
 * (a spammer and a robocaller per 100 accounts). Deterministic for a seed.
 * The simulator (issue 5) grows this into labelled, realistic populations.
 */
export interface DemoTrafficOptions {
  accounts: number;
  minutes: number;
  startTime: number;
  seed: number;
}

export type Persona = 'ordinary' | 'heavy_texter' | 'spammer' | 'robocaller';

export interface DemoAccount {
  accountId: string;
  persona: Persona;
  number: string;
}

function personaOf(i: number): Persona {
  if (i % 100 === 7) return 'spammer';
  if (i % 100 === 42) return 'robocaller';
  if (i % 25 === 3) return 'heavy_texter';
  return 'ordinary';
}

export function demoAccounts(count: number): DemoAccount[] {
  return Array.from({ length: count }, (_, i) => ({
    accountId: `acct-${String(i).padStart(6, '0')}`,
    persona: personaOf(i),
    number: `+1415${String(5_000_000 + i).padStart(7, '0')}`,
  }));
}

interface Plan {
  calls: number;
  messages: number;
  channel: 'app' | 'api' | 'voice';
}

function plan(persona: Persona, minutes: number, rnd: Random): Plan {
  switch (persona) {
    case 'spammer':
      return { calls: 0, messages: minutes * rnd.int(200, 300), channel: 'api' };
    case 'robocaller':
      return { calls: minutes * rnd.int(40, 60), messages: 0, channel: 'api' };
    case 'heavy_texter':
      return { calls: rnd.int(2, 6), messages: minutes * rnd.int(10, 20), channel: 'app' };
    default:
      return { calls: rnd.int(0, 3), messages: rnd.int(0, 6), channel: rnd.next() < 0.5 ? 'voice' : 'app' };
  }
}

function callee(rnd: Random): string {
  return `+1212${String(rnd.int(2_000_000, 9_999_999))}`;
}

/** All events of the demo, in event-time order. */
export function demoTraffic(opts: DemoTrafficOptions): { accounts: DemoAccount[]; events: TelemetryEvent[] } {
  const rnd = new Random(opts.seed);
  const accounts = demoAccounts(opts.accounts);
  const spanMs = opts.minutes * 60_000;
  const events: TelemetryEvent[] = [];
  let seq = 0;
  const nextId = (): string => `evt-${opts.seed}-${(seq++).toString(36)}`;

  for (const account of accounts) {
    const p = plan(account.persona, opts.minutes, rnd);
    const deviceId = `dev-${account.accountId}`;
    for (let c = 0; c < p.calls; c++) {
      const t = opts.startTime + rnd.int(0, spanMs);
      const callId = `call-${nextId()}`;
      const to = callee(rnd);
      const answered = rnd.next() < 0.6;
      const durationMs = answered ? rnd.int(5_000, 300_000) : 0;
      const base = { type: 'call', accountId: account.accountId, callId, deviceId, from: account.number, to, originChannel: p.channel } as const;
      events.push({ ...base, eventId: nextId(), eventTime: t, phase: 'start' } satisfies CallEvent);
      if (answered) events.push({ ...base, eventId: nextId(), eventTime: t + 3_000, phase: 'answer' } satisfies CallEvent);
      events.push({ ...base, eventId: nextId(), eventTime: t + 3_000 + durationMs, phase: 'end', disposition: answered ? 'answered' : 'no_answer', durationMs } satisfies CallEvent);
    }
    for (let m = 0; m < p.messages; m++) {
      const contentHash = account.persona === 'spammer' ? 'h-promo-1' : `h-${rnd.int(0, 1 << 30).toString(16)}`;
      events.push({
        type: 'message',
        eventId: nextId(),
        eventTime: opts.startTime + rnd.int(0, spanMs),
        accountId: account.accountId,
        messageId: `msg-${nextId()}`,
        deviceId,
        from: account.number,
        to: callee(rnd),
        contentHash,
        contentLength: rnd.int(5, 160),
        originChannel: p.channel,
      } satisfies MessageEvent);
    }
  }
  events.sort((a, b) => a.eventTime - b.eventTime);
  return { accounts, events };
}
