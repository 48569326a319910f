import { CompressionTypes, Partitioners, type Kafka, type Message } from 'kafkajs';
import type { Codecs } from '../../src/events/codecs';
import type { MessageEvent, TelemetryEvent } from '../../src/events/types';
import type { BenchTopics } from './bench-env';

/**
 * Live traffic at a fixed offered rate whose event time is the wall clock at
 * the moment of producing, so a violation's `detectedAt` (the event time of
 * the record that completed the finding) is that record's produce time.
 *
 * Most records are background: 100,000 ordinary accounts sending messages and
 * placing unanswered calls, far below every limit. A share are probes: a
 * fresh account sends 125 messages within a fraction of a second, and its
 * 121st crosses `messages_per_minute` (limit 120), so each probe gives one
 * violation whose trigger is known. A few probes run at once; a retired one
 * is replaced by a new account, so no cooldown holds a violation back.
 */
export const PROBE_PREFIX = 'probe-';
export const PROBE_RULE = 'messages_per_minute';
const PROBE_MESSAGES = 125;
const ACTIVE_PROBES = 8;
const BACKGROUND_ACCOUNTS = 100_000;
const MAX_PER_REQUEST = 3_000;

export interface PacedRun {
  sent: number;
  probesStarted: number;
  seconds: number;
}

export class TrafficMaker {
  private seq = 0;
  private probeCount = 0;
  private readonly probes: { id: string; sent: number }[] = [];

  constructor(
    private readonly run: string,
    private readonly probeShare: number,
  ) {}

  get probesStarted(): number {
    return this.probeCount;
  }

  next(now: number): TelemetryEvent {
    const n = this.seq++;
    const eventId = `${this.run}-${n.toString(36)}`;
    if ((n * 0.6180339887) % 1 < this.probeShare) return this.probeMessage(n, eventId, now);
    const a = Math.imul(n, 2654435761) >>> 0;
    const account = a % BACKGROUND_ACCOUNTS;
    const accountId = `bg-${account}`;
    const from = `+1415${2_000_000 + account}`;
    const to = `+1212${2_000_000 + ((account * 31 + (a >>> 20)) % 8_000_000)}`;
    if (a % 10 < 3) {
      return { type: 'call', eventId, eventTime: now, accountId, callId: `c-${eventId}`, phase: 'start', deviceId: `d-${account}`, from, to, originChannel: 'app' };
    }
    return message(eventId, now, accountId, from, to, `h-${a.toString(36)}`);
  }

  private probeMessage(n: number, eventId: string, now: number): MessageEvent {
    if (this.probes.length < ACTIVE_PROBES) this.probes.push({ id: `${PROBE_PREFIX}${this.run}-${this.probeCount++}`, sent: 0 });
    const slot = n % this.probes.length;
    const probe = this.probes[slot] as { id: string; sent: number };
    probe.sent++;
    if (probe.sent >= PROBE_MESSAGES) this.probes.splice(slot, 1);
    const k = this.probeCount * 1000 + probe.sent;
    return message(eventId, now, probe.id, `+1415${1_000_000 + (this.probeCount % 1_000_000)}`, `+1212${2_000_000 + (k % 8_000_000)}`, `p-${eventId}`);
  }
}

function message(eventId: string, eventTime: number, accountId: string, from: string, to: string, contentHash: string): MessageEvent {
  return { type: 'message', eventId, eventTime, accountId, messageId: `m-${eventId}`, deviceId: `d-${accountId}`, from, to, contentHash, contentLength: 60, originChannel: 'app' };
}

/** Produces at `rate` records/s for `seconds`: every few ms, what the clock says is due, stamped with the clock. */
export async function producePaced(kafka: Kafka, codecs: Codecs, topics: BenchTopics, maker: TrafficMaker, rate: number, seconds: number): Promise<PacedRun> {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  await producer.connect();
  const started = Date.now();
  let sent = 0;
  try {
    for (;;) {
      const now = Date.now();
      const elapsed = now - started;
      if (elapsed >= seconds * 1000) break;
      // Capped: after a stall, catching up in one request could pass the broker's 1 MB batch limit.
      const due = Math.min(MAX_PER_REQUEST, Math.floor((elapsed / 1000) * rate) - sent);
      if (due > 0) {
        const byTopic = new Map<string, Message[]>();
        for (let i = 0; i < due; i++) {
          const e = maker.next(now);
          const topic = topics.input[e.type];
          const list = byTopic.get(topic) ?? [];
          list.push({ key: e.accountId, value: codecs.events[e.type].encode(e, 'single-object') });
          byTopic.set(topic, list);
        }
        await producer.sendBatch({ acks: -1, compression: CompressionTypes.None, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
        sent += due;
      }
      if (due < MAX_PER_REQUEST) await new Promise((r) => setTimeout(r, 2));
    }
    return { sent, probesStarted: maker.probesStarted, seconds: (Date.now() - started) / 1000 };
  } finally {
    await producer.disconnect();
  }
}
