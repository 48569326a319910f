import { Random } from '../../src/simulate/random';

/**
 * A day of traffic for a population, planned as compact rows in typed arrays
 * (time, account, kind, detail) rather than event objects: a day for 100,000+
 * accounts is millions of events, and the benchmarks must not measure a heap
 * full of them. Events are made from rows on demand (day-events.ts).
 *
 * Shape: a diurnal curve (quiet nights, busy afternoons and evenings); per
 * 1,000 accounts one spammer and one robocaller, each running one campaign
 * of 10–40 minutes; one account in 25 a heavy but legitimate texter; the rest
 * ordinary (a few calls, a handful of messages). One account in 20 registers
 * during the day; spammers and robocallers get reported.
 */
export type Persona = 'ordinary' | 'heavy_texter' | 'spammer' | 'robocaller';

export const KIND = { callStart: 0, callAnswer: 1, callEnd: 2, message: 3, registration: 4, report: 5 } as const;

/** Relative activity per hour of the day (UTC), from night to evening peak. */
const HOURLY = [0.3, 0.2, 0.15, 0.1, 0.1, 0.15, 0.4, 0.8, 1.2, 1.5, 1.6, 1.6, 1.5, 1.5, 1.6, 1.6, 1.7, 1.8, 1.9, 1.9, 1.7, 1.4, 1.0, 0.6];
const CUMULATIVE = HOURLY.map((_, h) => HOURLY.slice(0, h + 1).reduce((a, b) => a + b, 0));
const TOTAL_WEIGHT = CUMULATIVE[CUMULATIVE.length - 1] ?? 1;
export const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

// A row's sort key packs its time offset (ms, up to 3 days: calls may end after midnight) above its row number.
const SEQ_BITS = 2 ** 24;
export const MAX_ROWS = SEQ_BITS;

export function personaOf(i: number): Persona {
  if (i % 1000 === 7) return 'spammer';
  if (i % 1000 === 42) return 'robocaller';
  if (i % 25 === 3) return 'heavy_texter';
  return 'ordinary';
}

/** Growable columns; one row per event. */
class Rows {
  length = 0;
  time = new Float64Array(1 << 16);
  account = new Uint32Array(1 << 16);
  kind = new Uint8Array(1 << 16);
  /** Per kind: call index (calls), a random 32-bit draw (others). */
  detail = new Uint32Array(1 << 16);

  push(time: number, account: number, kind: number, detail: number): void {
    if (this.length === this.time.length) this.grow();
    const n = this.length++;
    this.time[n] = time;
    this.account[n] = account;
    this.kind[n] = kind;
    this.detail[n] = detail;
  }

  private grow(): void {
    if (this.length >= MAX_ROWS) throw new RangeError(`a day plan holds at most ${MAX_ROWS} events; use fewer accounts`);
    const size = Math.min(this.time.length * 2, MAX_ROWS);
    const widen = <T extends Float64Array | Uint32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(size);
      b.set(a);
      return b;
    };
    this.time = widen(this.time, (n) => new Float64Array(n));
    this.account = widen(this.account, (n) => new Uint32Array(n));
    this.kind = widen(this.kind, (n) => new Uint8Array(n));
    this.detail = widen(this.detail, (n) => new Uint32Array(n));
  }
}

export interface DayPlan {
  accounts: number;
  seed: number;
  startTime: number;
  personas: Record<Persona, number>;
  rows: Rows;
  /** Per call: callee suffix, connected ms (0 = unanswered), origin channel index. */
  calls: { to: Uint32Array; durationMs: Uint32Array; count: number };
  /** Row numbers in event-time order. */
  order: Uint32Array;
}

/** A time in the day drawn from the diurnal curve, ms from midnight. */
function diurnalTime(rnd: Random): number {
  const x = rnd.next() * TOTAL_WEIGHT;
  let h = 0;
  while (h < 23 && (CUMULATIVE[h] ?? TOTAL_WEIGHT) < x) h++;
  return h * HOUR_MS + rnd.int(0, HOUR_MS);
}

export function planDay(accounts: number, seed = 11, startTime = Date.UTC(2026, 0, 5)): DayPlan {
  const rows = new Rows();
  const personas: Record<Persona, number> = { ordinary: 0, heavy_texter: 0, spammer: 0, robocaller: 0 };
  let callTo = new Uint32Array(1 << 16);
  let callDuration = new Uint32Array(1 << 16);
  let calls = 0;
  const call = (rnd: Random, account: number, t: number, answerRate: number, minMs: number, maxMs: number): void => {
    if (calls === callTo.length) {
      const to = new Uint32Array(calls * 2);
      to.set(callTo);
      callTo = to;
      const d = new Uint32Array(calls * 2);
      d.set(callDuration);
      callDuration = d;
    }
    const answered = rnd.next() < answerRate;
    const durationMs = answered ? rnd.int(minMs, maxMs) : 0;
    callTo[calls] = rnd.int(2_000_000, 9_999_999);
    callDuration[calls] = durationMs;
    rows.push(t, account, KIND.callStart, calls);
    if (answered) rows.push(t + 3_000, account, KIND.callAnswer, calls);
    rows.push(t + 3_000 + durationMs, account, KIND.callEnd, calls);
    calls++;
  };
  const draw = (rnd: Random): number => rnd.int(0, 0xffffffff);

  for (let i = 0; i < accounts; i++) {
    const rnd = new Random((seed ^ Math.imul(i + 1, 0x9e3779b1)) >>> 0);
    const persona = personaOf(i);
    personas[persona]++;
    if (persona === 'spammer' || persona === 'robocaller') {
      const start = diurnalTime(rnd);
      const minutes = persona === 'spammer' ? rnd.int(10, 31) : rnd.int(20, 41);
      const perMinute = persona === 'spammer' ? rnd.int(200, 301) : rnd.int(40, 61);
      const span = minutes * 60_000;
      for (let k = 0; k < minutes * perMinute; k++) {
        const t = start + rnd.int(0, span);
        if (persona === 'spammer') rows.push(t, i, KIND.message, draw(rnd));
        else call(rnd, i, t, 0.3, 2_000, 20_000);
      }
      for (let k = 0; k < (persona === 'spammer' ? 20 : 10); k++) rows.push(start + rnd.int(0, span + HOUR_MS), i, KIND.report, draw(rnd));
    } else {
      const heavy = persona === 'heavy_texter';
      const nCalls = heavy ? rnd.int(2, 9) : rnd.int(0, 7);
      const nMessages = heavy ? rnd.int(150, 251) : rnd.int(0, 21);
      for (let k = 0; k < nCalls; k++) call(rnd, i, diurnalTime(rnd), 0.6, 5_000, 300_000);
      for (let k = 0; k < nMessages; k++) rows.push(diurnalTime(rnd), i, KIND.message, draw(rnd));
      if (i % 500 === 0) rows.push(diurnalTime(rnd), i, KIND.report, draw(rnd));
    }
    if (i % 20 === 0) rows.push(diurnalTime(rnd), i, KIND.registration, draw(rnd));
  }

  // Sort by (time, row): a Float64Array sorts natively, far faster than comparing objects.
  const keys = new Float64Array(rows.length);
  for (let n = 0; n < rows.length; n++) keys[n] = (rows.time[n] ?? 0) * SEQ_BITS + n;
  keys.sort();
  const order = new Uint32Array(rows.length);
  for (let n = 0; n < keys.length; n++) order[n] = (keys[n] ?? 0) % SEQ_BITS;
  return { accounts, seed, startTime, personas, rows, calls: { to: callTo, durationMs: callDuration, count: calls }, order };
}
