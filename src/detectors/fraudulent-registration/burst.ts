import { EvidenceRing } from '../../engine/evidence-ring';
import { windowStart } from '../../engine/window';
import type { RegistrationEvent } from '../../events/types';
import { EVIDENCE_SAMPLE, MAX_BURST_ACCOUNTS, MAX_BURST_DEVICES, MAX_EVENT_IDS_PER_ACCOUNT } from './rules';

/**
 * The registrations of one key (a device, an address, a phone number) in the
 * current tumbling window, remembered per account. A finding flags every
 * account of the burst, the ones that came before the threshold too, so the
 * accounts themselves are kept, not just a count. Bounded: at most
 * MAX_BURST_ACCOUNTS accounts and MAX_BURST_DEVICES devices per window.
 */
export interface BurstMember {
  readonly accountId: string;
  /** Device of the account's first registration in the window: the address rule groups accounts by it. */
  readonly deviceId: string;
  /** The account's first registrations in the window: the head of its evidence. */
  readonly eventIds: string[];
  /** Any attempt in the window passed the one-time-code check. */
  verified: boolean;
  /** Attempts that failed or skipped the check. */
  failures: number;
  /** Already reported for this window; each account is flagged once. */
  flagged: boolean;
  /** False for an account that arrived when the burst was full: evaluated, never stored. */
  readonly kept: boolean;
}

export interface Burst {
  windowStart: number;
  members: BurstMember[];
  devices: string[];
  /** The most recent registrations of the window, whoever made them: the rest of each finding's evidence. */
  recent: EvidenceRing;
  /** The limits crossed when the burst was found; undefined until then. */
  crossed: Record<string, number> | undefined;
}

export function newBurst(): Burst {
  return { windowStart: Number.NEGATIVE_INFINITY, members: [], devices: [], recent: new EvidenceRing(EVIDENCE_SAMPLE), crossed: undefined };
}

/**
 * Records one registration in the burst of its window, starting a new burst
 * when the window moved on. `late` when the event's window was already
 * replaced. Returns the account's member; past MAX_BURST_ACCOUNTS a
 * transient member built from this event alone (counts saturate at the cap).
 */
export function addRegistration(burst: Burst, event: RegistrationEvent, windowMs: number): BurstMember | 'late' {
  const start = windowStart(event.eventTime, windowMs);
  if (start < burst.windowStart) return 'late';
  if (start > burst.windowStart) {
    burst.windowStart = start;
    burst.members = [];
    burst.devices = [];
    burst.recent = new EvidenceRing(EVIDENCE_SAMPLE);
    burst.crossed = undefined;
  }
  burst.recent.push(event.eventId, event.eventTime);
  if (burst.devices.length < MAX_BURST_DEVICES && !burst.devices.includes(event.deviceId)) burst.devices.push(event.deviceId);

  const verified = event.verification === 'verified';
  const failed = verified ? 0 : 1;
  let member = burst.members.find((m) => m.accountId === event.accountId);
  if (!member) {
    const kept = burst.members.length < MAX_BURST_ACCOUNTS;
    member = { accountId: event.accountId, deviceId: event.deviceId, eventIds: [event.eventId], verified, failures: failed, flagged: false, kept };
    if (kept) burst.members.push(member);
    return member;
  }
  if (member.eventIds.length < MAX_EVENT_IDS_PER_ACCOUNT) member.eventIds.push(event.eventId);
  member.verified ||= verified;
  member.failures += failed;
  return member;
}

/** Share of the burst's accounts that verified their number at least once. */
export function verifiedShare(burst: Burst): number {
  if (burst.members.length === 0) return 1;
  return burst.members.filter((m) => m.verified).length / burst.members.length;
}

/** Failed or skipped attempts of accounts that have not verified: a mistyped code followed by the right one does not count. */
export function unverifiedFailures(burst: Burst): number {
  return burst.members.reduce((sum, m) => (m.verified ? sum : sum + m.failures), 0);
}

export function unverifiedAccounts(burst: Burst): number {
  return burst.members.filter((m) => !m.verified && m.failures > 0).length;
}

/** Accounts whose first registration in the window came from `deviceId`. */
export function accountsOnDevice(burst: Burst, deviceId: string): number {
  return burst.members.filter((m) => m.deviceId === deviceId).length;
}

/** Evidence of one account's finding: its own registrations first, then the burst's most recent ones. */
export function evidenceFor(member: BurstMember, burst: Burst): string[] {
  const out = [...member.eventIds];
  const rest = burst.recent.since(burst.windowStart).reverse();
  for (const id of rest) {
    if (out.length >= EVIDENCE_SAMPLE) break;
    if (!out.includes(id)) out.push(id);
  }
  return out;
}
