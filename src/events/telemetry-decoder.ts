import type { Topics } from '../config/topics';
import { BadRecordError } from '../errors';
import type { Codecs } from './codecs';
import type { Framing } from './framing';
import type { EventType, TelemetryEvent } from './types';
import { validateEvent } from './validate';

/**
 * A record from an input topic → a valid event, or a BadRecordError for the
 * dead-letter topic. The topic decides the event type and the framing.
 */
export class TelemetryDecoder {
  private readonly typeOfTopic = new Map<string, EventType>();

  constructor(
    private readonly codecs: Codecs,
    topics: Topics,
    private readonly framing: Readonly<Record<string, Framing>>,
  ) {
    for (const [type, topic] of Object.entries(topics.input) as [EventType, string][]) this.typeOfTopic.set(topic, type);
  }

  /** Fetches unknown registry schemas of a batch before the synchronous decode loop. */
  async prepare(topic: string, values: readonly (Buffer | null)[]): Promise<void> {
    const type = this.typeOfTopic.get(topic);
    if (type !== undefined) await this.codecs.events[type].prepare(this.framingOf(topic), values);
  }

  decode(topic: string, value: Buffer | null): TelemetryEvent {
    const type = this.typeOfTopic.get(topic);
    if (type === undefined) throw new BadRecordError('EVENT_INVALID', `topic ${topic} carries no telemetry type`);
    if (value === null) throw new BadRecordError('DECODE_FAILED', 'record has no value (tombstone)');
    return validateEvent(this.codecs.events[type].decode(this.framingOf(topic), value), type);
  }

  private framingOf(topic: string): Framing {
    return this.framing[topic] ?? 'single-object';
  }
}
