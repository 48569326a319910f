import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Type } from 'avsc';
import { AvroCodec, canonicalForm } from '../../src/events/codec';
import { rabinFingerprint } from '../../src/events/fingerprint';
import { frameConfluent, frameSingleObject } from '../../src/events/framing';
import { SchemaNotFoundError, type SchemaRegistry } from '../../src/events/registry';
import { BadRecordError } from '../../src/errors';
import { caught } from '../helpers/errors';
import { callEvent, T0 } from '../helpers/events';
import { projectCodecs } from '../helpers/schemas';

const REFERENCE = JSON.parse(readFileSync(join(__dirname, '../fixtures/avro/CallEvent.reference.avsc'), 'utf8')) as unknown;

/** The same record as written by an older producer: no caller-ID or attestation fields yet. */
function olderCallSchema(): unknown {
  const schema = JSON.parse(JSON.stringify(REFERENCE)) as { fields: { name: string }[] };
  schema.fields = schema.fields.filter((f) => f.name !== 'presentedCallerId' && f.name !== 'attestation');
  return schema;
}

const decodeError = (fn: () => unknown): BadRecordError => caught(BadRecordError, fn);

describe('CRC-64-AVRO fingerprint', () => {
  it('matches the Avro specification and the Java reference implementation', () => {
    // Values from org.apache.avro.SchemaNormalization.parsingFingerprint64 (Avro 1.12.0).
    expect(rabinFingerprint('"null"')).toBe(7195948357588979594n);
    expect(rabinFingerprint(canonicalForm(Type.forSchema(REFERENCE as never))).toString(16)).toBe('ade1d310d41a26df');
  });
});

describe('AvroCodec', () => {
  const codecs = projectCodecs();
  const event = callEvent('acct-1', T0, { presentedCallerId: '+14155550111', attestation: 'C' });

  it('round-trips an event in single-object framing with the fingerprint in the header', () => {
    const buf = codecs.events.call.encode(event, 'single-object');
    expect([...buf.subarray(0, 2)]).toEqual([0xc3, 0x01]);
    expect(buf.readBigUInt64LE(2)).toBe(codecs.events.call.fingerprint);
    expect(codecs.events.call.decode('single-object', buf)).toMatchObject(event);
  });

  it('resolves a record written with an older schema version onto the current reader', () => {
    const old = olderCallSchema();
    const codec = new AvroCodec('CallEvent', REFERENCE, [old]);
    const oldType = Type.forSchema(old as never);
    const { presentedCallerId: _p, attestation: _a, ...oldRecord } = event;
    const buf = frameSingleObject(rabinFingerprint(canonicalForm(oldType)), oldType.toBuffer({ ...oldRecord, disposition: null, durationMs: null }));
    const decoded = codec.decode('single-object', buf) as Record<string, unknown>;
    expect(decoded.callId).toBe(event.callId);
    expect(decoded.presentedCallerId).toBeNull();
  });

  it('rejects an unknown fingerprint, naming it', () => {
    const buf = frameSingleObject(0x1234n, Buffer.from([0]));
    const err = decodeError(() => codecs.events.call.decode('single-object', buf));
    expect(err.code).toBe('SCHEMA_UNKNOWN');
    expect(err.message).toContain('0000000000001234');
  });

  it('takes the reader schema\'s fast path only when all 64 fingerprint bits match: one bit off in either half is another schema', () => {
    const own = codecs.events.call.fingerprint;
    const body = codecs.events.call.encode(event, 'single-object').subarray(10);
    for (const bit of [0n, 31n, 32n, 63n]) {
      const err = decodeError(() => codecs.events.call.decode('single-object', frameSingleObject(own ^ (1n << bit), body)));
      expect(err.code).toBe('SCHEMA_UNKNOWN');
    }
    // And with it, the body is still held to the reader's schema: trailing bytes are refused.
    expect(decodeError(() => codecs.events.call.decode('single-object', frameSingleObject(own, Buffer.concat([body, Buffer.from([0])])))).code).toBe('DECODE_FAILED');
  });

  it('says which framing it found when a topic is configured for the other', () => {
    const confluent = frameConfluent(7, Buffer.from([1, 2]));
    expect(decodeError(() => codecs.events.call.decode('single-object', confluent)).message).toContain('(Confluent framing?)');
    expect(decodeError(() => codecs.events.call.decode('confluent', Buffer.from('{"type":"call"}'))).message).toContain('(JSON?)');
  });

  it('rejects a truncated body', () => {
    const buf = codecs.events.call.encode(event, 'single-object');
    expect(decodeError(() => codecs.events.call.decode('single-object', buf.subarray(0, buf.length - 5))).code).toBe('DECODE_FAILED');
  });

  it('decodes Confluent framing with the writer schema fetched from the registry', async () => {
    const old = olderCallSchema();
    const registry: SchemaRegistry = {
      fetchSchema: (id) => (id === 41 ? Promise.resolve(old) : Promise.reject(new SchemaNotFoundError(id))),
      register: () => Promise.resolve(1),
    };
    const codec = new AvroCodec('CallEvent', REFERENCE, [], registry);
    const oldType = Type.forSchema(old as never);
    const { presentedCallerId: _p, attestation: _a, ...oldRecord } = event;
    const good = frameConfluent(41, oldType.toBuffer({ ...oldRecord, disposition: null, durationMs: null }));
    const unknown = frameConfluent(99, Buffer.from([0]));
    await codec.prepare('confluent', [good, unknown, null]);
    expect((codec.decode('confluent', good) as Record<string, unknown>).callId).toBe(event.callId);
    expect(decodeError(() => codec.decode('confluent', unknown)).code).toBe('SCHEMA_UNKNOWN');
  });

  it('reports an unreachable registry as retriable, not as a bad record', async () => {
    const registry: SchemaRegistry = { fetchSchema: () => Promise.reject(new Error('ECONNREFUSED')), register: () => Promise.resolve(1) };
    const codec = new AvroCodec('CallEvent', REFERENCE, [], registry);
    await expect(codec.prepare('confluent', [frameConfluent(5, Buffer.from([0]))])).rejects.toMatchObject({ code: 'REGISTRY_UNAVAILABLE', retriable: true });
  });
});
