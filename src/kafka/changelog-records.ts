import { deserialize } from 'node:v8';
import type { Message } from 'kafkajs';
import type { History } from '../enforcement/enforcer';
import type { PartitionStateBuilder } from '../engine/partition-state-builder';
import type { KeyState, KeyStateSource, PipelineChanges } from '../engine/state-changes';
import type { WatermarksData } from '../engine/windows/watermarks';
import { ChangelogError } from '../errors';
import { PlainWriter, readPlain } from '../io/plain-binary';
import { CHANGELOG_FIELD_NAMES } from './changelog-field-names';

/**
 * The state changelog's record format. Partition p of the changelog holds
 * the state of input partition p, one record per key so that compaction
 * keeps exactly the latest state:
 *
 *   k:<state key>    every detector's state for that key      (null value: evicted)
 *   h:<account,rule> the enforcer's escalation history         (null value: forgotten)
 *   p:<violationId>  a violation id already published          (null value: forgotten)
 *   c:clock          the partition's stream time and watermark
 *   o:offsets        next input offset per topic, written in the same transaction
 *
 * Values are one format byte, then the value:
 *   5  the compact plain-data form of src/io/plain-binary.ts with object
 *      field names from CHANGELOG_FIELD_NAMES, whole numbers past 2^32 as
 *      varints, each after the value's first as its distance from it (NEAR),
 *      and ±Infinity as a tag (written now);
 *   4  the same without the distances;
 *   3  the same without varints and tags for those numbers: doubles;
 *   2  the same form with field names as text;
 *   1  V8's structured-clone serialization.
 * Formats 1 to 4 were written by earlier builds and are still read, so an
 * upgrade restores the state its predecessor left (a build that writes 5
 * reads them all; one that wrote 4 refuses 5, naming it, rather than
 * misreading it).
 * Both keep Map, Set, typed arrays and ±Infinity, which detector state uses.
 * The format byte lets a later build refuse what it cannot read.
 */
export const CHANGELOG_FORMAT = 5;
const ABSOLUTE_TIMES_FORMAT = 4;
const DOUBLE_TIMES_FORMAT = 3;
const TEXT_NAMES_FORMAT = 2;
const V8_FORMAT = 1;

const OFFSETS_KEY = 'o:offsets';
const CLOCK_KEY = 'c:clock';

/** One scratch buffer for every value of the process: encoding is synchronous, so it is never shared mid-value. */
const writer = new PlainWriter(CHANGELOG_FIELD_NAMES);

function value(payload: unknown): Buffer {
  writer.begin(CHANGELOG_FORMAT).value(payload);
  return writer.take();
}

/**
 * Where one commit's changes come from: Pipeline.drainChanges (each key's
 * state written straight from the live state as it is visited) or changes
 * already taken as plain data.
 */
export type ChangeDrain = (visit: (key: string, state: KeyStateSource | null) => void) => Omit<PipelineChanges, 'keys'>;

/** The records one commit writes: every changed key, the clock, and the input offsets the state reflects. */
export function changelogMessages(changes: PipelineChanges | ChangeDrain, nextOffsets: ReadonlyMap<string, string>, partition: number): Message[] {
  const out: Message[] = [];
  let rest: Omit<PipelineChanges, 'keys'>;
  if (typeof changes === 'function') {
    rest = changes((key, state) => {
      let bytes: Buffer | null = null;
      if (state) {
        writer.begin(CHANGELOG_FORMAT);
        state.writeTo(writer);
        bytes = writer.take();
      }
      out.push({ key: `k:${key}`, value: bytes, partition });
    });
  } else {
    for (const [key, state] of changes.keys) out.push({ key: `k:${key}`, value: state ? value(state) : null, partition });
    rest = changes;
  }
  for (const [key, h] of rest.enforcer.history) out.push({ key: `h:${key}`, value: h ? value(h) : null, partition });
  for (const [id, present] of rest.enforcer.published) out.push({ key: `p:${id}`, value: present ? value(1) : null, partition });
  out.push({ key: CLOCK_KEY, value: value(rest.clock), partition });
  out.push({ key: OFFSETS_KEY, value: value(Object.fromEntries(nextOffsets)), partition });
  return out;
}

function payload(where: string, raw: Buffer): unknown {
  const format = raw[0];
  if (format !== CHANGELOG_FORMAT && format !== ABSOLUTE_TIMES_FORMAT && format !== DOUBLE_TIMES_FORMAT && format !== TEXT_NAMES_FORMAT && format !== V8_FORMAT) {
    throw new ChangelogError(`${where}: changelog record in format ${format === undefined ? 'none (empty value)' : String(format)}; this build reads formats ${V8_FORMAT} to ${CHANGELOG_FORMAT}`);
  }
  try {
    if (format === V8_FORMAT) return deserialize(raw.subarray(1));
    // Format 3's numbers are a subset of 4's, and 4's of 5's: one reader for all three.
    return readPlain(raw, 1, format === TEXT_NAMES_FORMAT ? undefined : CHANGELOG_FIELD_NAMES);
  } catch (err) {
    throw new ChangelogError(`${where}: changelog record does not deserialize (${err instanceof Error ? err.message : String(err)})`);
  }
}

/**
 * Folds one changelog record into a partition's state being restored, and
 * the input offsets it records into `offsets`. `where` names the record
 * (topic, partition, offset) in errors; never the key, which may be an account.
 */
export function applyChangelogRecord(record: { key: Buffer | null; value: Buffer | null }, into: PartitionStateBuilder, offsets: Map<string, string>, where: string): void {
  const key = record.key?.toString('utf8') ?? '';
  const kind = key.slice(0, 2);
  const rest = key.slice(2);
  const v = record.value;
  switch (kind) {
    case 'k:':
      into.key(rest, v ? (payload(where, v) as KeyState) : null);
      return;
    case 'h:':
      into.historyEntry(rest, v ? (payload(where, v) as History) : null);
      return;
    case 'p:':
      into.publishedId(rest, v !== null);
      return;
    default:
      if (key === CLOCK_KEY && v) into.setClock(payload(where, v) as WatermarksData);
      else if (key === OFFSETS_KEY && v) for (const [topic, offset] of Object.entries(payload(where, v) as Record<string, string>)) offsets.set(topic, offset);
      else if (v !== null) throw new ChangelogError(`${where}: changelog record with an unknown key kind "${kind}"`);
  }
}
