import type { Attestation, CallEvent, Disposition, MessageEvent, OriginChannel, RegistrationEvent, ReportEvent, ReportReason, TelemetryEvent, Verification } from '../events/types';
import type { Activity, SimAccount } from './persona';

/**
 * Contract events for one account, as the platform would report them: a call
 * as its start, answer (when answered) and end phases; a message as one event
 * per recipient sharing a messageId. Ids come from the group's own counter, so
 * they are unique across the population and the same for the same seed.
 */
export class IdSource {
  private n = 0;
  constructor(private readonly prefix: string) {}

  next(kind: string): string {
    return `${this.prefix}-${kind}${(this.n++).toString(36)}`;
  }
}

export interface CallSpec {
  to: string;
  disposition: Disposition;
  /** Dialling to answer or give-up. */
  ringMs: number;
  /** Connected time; only for answered calls. */
  talkMs?: number;
  channel?: OriginChannel;
  deviceId?: string;
  presentedCallerId?: string;
  attestation?: Attestation;
}

export interface TextSpec {
  contentHash: string;
  contentLength: number;
  channel?: OriginChannel;
  deviceId?: string;
  /** Message text, where the platform forwards it. */
  text?: string;
}

export class TrafficBuilder {
  constructor(
    readonly account: SimAccount,
    /** The account's usual device. */
    readonly deviceId: string,
    private readonly ids: IdSource,
  ) {}

  /** A content hash no other message has: a text written once. */
  freshContent(): string {
    return this.ids.next('h');
  }

  call(at: number, spec: CallSpec): Activity {
    const { accountId, number } = this.account;
    const callId = this.ids.next('call');
    const base = {
      type: 'call' as const,
      accountId,
      callId,
      deviceId: spec.deviceId ?? this.deviceId,
      from: number,
      to: spec.to,
      originChannel: spec.channel ?? 'app',
      ...(spec.presentedCallerId === undefined ? {} : { presentedCallerId: spec.presentedCallerId }),
      ...(spec.attestation === undefined ? {} : { attestation: spec.attestation }),
    };
    const start = Math.round(at);
    const events: CallEvent[] = [{ ...base, eventId: this.ids.next('e'), eventTime: start, phase: 'start' }];
    const ring = Math.max(500, Math.round(spec.ringMs));
    if (spec.disposition === 'answered') {
      const talk = Math.max(200, Math.round(spec.talkMs ?? 60_000));
      events.push({ ...base, eventId: this.ids.next('e'), eventTime: start + ring, phase: 'answer' });
      events.push({ ...base, eventId: this.ids.next('e'), eventTime: start + ring + talk, phase: 'end', disposition: 'answered', durationMs: talk });
    } else {
      events.push({ ...base, eventId: this.ids.next('e'), eventTime: start + ring, phase: 'end', disposition: spec.disposition, durationMs: 0 });
    }
    return { at: start, events };
  }

  /** One message to one or several recipients (a group message: one messageId, a delivery per recipient, 1 ms apart). */
  text(at: number, to: string | readonly string[], spec: TextSpec): Activity {
    const { accountId, number } = this.account;
    const recipients = typeof to === 'string' ? [to] : to;
    const messageId = this.ids.next('msg');
    const start = Math.round(at);
    const events: MessageEvent[] = recipients.map((recipient, i) => ({
      type: 'message',
      eventId: this.ids.next('e'),
      eventTime: start + i,
      accountId,
      messageId,
      deviceId: spec.deviceId ?? this.deviceId,
      from: number,
      to: recipient,
      contentHash: spec.contentHash,
      contentLength: spec.contentLength,
      originChannel: spec.channel ?? 'app',
      ...(spec.text === undefined ? {} : { text: spec.text }),
    }));
    return { at: start, events };
  }

  register(at: number, spec: { deviceId?: string; ipAddress: string; phoneNumber?: string; verification: Verification }): Activity {
    const event: RegistrationEvent = {
      type: 'registration',
      eventId: this.ids.next('e'),
      eventTime: Math.round(at),
      accountId: this.account.accountId,
      phoneNumber: spec.phoneNumber ?? this.account.number,
      deviceId: spec.deviceId ?? this.deviceId,
      ipAddress: spec.ipAddress,
      verification: spec.verification,
    };
    return { at: event.eventTime, events: [event] };
  }

  /** A recipient reporting or blocking this account. */
  report(at: number, reporterNumber: string, reason: ReportReason): Activity {
    const event: ReportEvent = { type: 'report', eventId: this.ids.next('e'), eventTime: Math.round(at), accountId: this.account.accountId, reporterNumber, reason };
    return { at: event.eventTime, events: [event] };
  }
}

/** Several activities that happen together, as one (their `at` is the earliest). */
export function together(activities: readonly Activity[]): Activity {
  const events: TelemetryEvent[] = activities.flatMap((a) => a.events);
  return { at: Math.min(...activities.map((a) => a.at)), events };
}
