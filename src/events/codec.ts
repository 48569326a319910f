import { Type, type Resolver, type Schema } from 'avsc';
import { BadRecordError, DetectorError, errorMessage } from '../errors';
import { frameConfluent, frameSingleObject, hasSingleObjectHeader, readHeader, SINGLE_OBJECT_HEADER, type Framing, type WriterRef } from './framing';
import { rabinFingerprint } from './fingerprint';
import { SchemaNotFoundError, type SchemaRegistry } from './registry';

/**
 * Avro encoding and decoding for one record schema (a reader schema from
 * schemas/), in either framing. Writers may use any compatible schema
 * version: Avro schema resolution maps their records onto the reader.
 *
 * Decoding is synchronous once the writer schema is known, so the hot path
 * never awaits; `prepare` fetches unknown registry ids for a whole batch first.
 */
export interface NamedSchema {
  /** File name without extension, e.g. `CallEvent`. */
  name: string;
  schema: unknown;
}

function forSchema(schema: unknown): Type {
  return Type.forSchema(schema as Schema);
}

export function canonicalForm(type: Type): string {
  return JSON.stringify(type.schema());
}

export class AvroCodec {
  readonly reader: Type;
  readonly fingerprint: bigint;
  /** The fingerprint's two 32-bit halves, as a single-object header holds them (little-endian). */
  private readonly fingerprintLow: number;
  private readonly fingerprintHigh: number;
  private readonly singleObjectWriters = new Map<bigint, Type>();
  private readonly registryWriters = new Map<number, Type>();
  private readonly resolvers = new WeakMap<Type, Resolver | null>();
  private registryId: number | undefined;

  constructor(
    readonly subjectName: string,
    readerSchema: unknown,
    /** Older (or newer) versions of the same record that writers may still use. */
    otherWriterSchemas: readonly unknown[] = [],
    private readonly registry?: SchemaRegistry,
  ) {
    this.reader = forSchema(readerSchema);
    this.fingerprint = rabinFingerprint(canonicalForm(this.reader));
    this.fingerprintLow = Number(this.fingerprint & 0xffff_ffffn);
    this.fingerprintHigh = Number(this.fingerprint >> 32n);
    for (const schema of [readerSchema, ...otherWriterSchemas]) {
      const type = forSchema(schema);
      this.singleObjectWriters.set(rabinFingerprint(canonicalForm(type)), type);
    }
  }

  /** Registers the reader schema so that encode() can use Confluent framing. */
  async registerAs(subject: string): Promise<number> {
    this.registryId = await this.requireRegistry().register(subject, this.reader.schema());
    this.registryWriters.set(this.registryId, this.reader);
    return this.registryId;
  }

  encode(value: unknown, framing: Framing): Buffer {
    const body = this.reader.toBuffer(value);
    if (framing === 'single-object') return frameSingleObject(this.fingerprint, body);
    if (this.registryId === undefined) {
      throw new DetectorError('SCHEMA_UNKNOWN', `${this.subjectName}: no registry id yet`, 'call registerAs() at start-up before encoding with Confluent framing');
    }
    return frameConfluent(this.registryId, body);
  }

  /** Fetches writer schemas for Confluent ids not seen before. Unknown ids are left for decode() to reject. */
  async prepare(framing: Framing, values: readonly (Buffer | null)[]): Promise<void> {
    if (framing !== 'confluent') return;
    const missing = new Set<number>();
    for (const value of values) {
      if (value === null || value.length < 5 || value[0] !== 0) continue;
      const id = value.readUInt32BE(1);
      if (!this.registryWriters.has(id)) missing.add(id);
    }
    for (const id of missing) {
      try {
        this.registryWriters.set(id, forSchema(await this.requireRegistry().fetchSchema(id)));
      } catch (err) {
        if (err instanceof SchemaNotFoundError) continue;
        throw new DetectorError('REGISTRY_UNAVAILABLE', `schema registry lookup of id ${id} failed: ${errorMessage(err)}`, 'check SCHEMA_REGISTRY_URL and that the registry is up; the batch is retried', { cause: err });
      }
    }
  }

  /** Decodes to a plain record in the reader schema's shape. Throws BadRecordError. */
  decode(framing: Framing, buf: Buffer): unknown {
    // The common case, a record written with the reader's own schema, needs no header object, BigInt or lookup (a
    // writer of the same canonical form has no resolver).
    if (framing === 'single-object' && hasSingleObjectHeader(buf, this.fingerprintLow, this.fingerprintHigh)) return this.readBody(buf, SINGLE_OBJECT_HEADER, null);
    const { ref, bodyOffset } = readHeader(framing, buf);
    return this.readBody(buf, bodyOffset, this.resolverFor(this.writerFor(ref)));
  }

  private readBody(buf: Buffer, bodyOffset: number, resolver: Resolver | null): unknown {
    try {
      return this.reader.fromBuffer(buf.subarray(bodyOffset), resolver ?? undefined);
    } catch (err) {
      throw new BadRecordError('DECODE_FAILED', `${this.subjectName}: Avro body does not decode: ${errorMessage(err)}`, { cause: err });
    }
  }

  private writerFor(ref: WriterRef): Type {
    if (ref.framing === 'single-object') {
      const writer = this.singleObjectWriters.get(ref.fingerprint);
      if (!writer) {
        throw new BadRecordError('SCHEMA_UNKNOWN', `${this.subjectName}: unknown schema fingerprint ${ref.fingerprint.toString(16).padStart(16, '0')}; add the writer's schema to schemas/`);
      }
      return writer;
    }
    const writer = this.registryWriters.get(ref.schemaId);
    if (!writer) throw new BadRecordError('SCHEMA_UNKNOWN', `${this.subjectName}: schema id ${ref.schemaId} is not in the registry`);
    return writer;
  }

  private resolverFor(writer: Type): Resolver | null {
    if (writer === this.reader) return null;
    let resolver = this.resolvers.get(writer);
    if (resolver === undefined) {
      try {
        resolver = canonicalForm(writer) === canonicalForm(this.reader) ? null : this.reader.createResolver(writer);
      } catch (err) {
        throw new BadRecordError('SCHEMA_UNKNOWN', `${this.subjectName}: writer schema cannot be resolved to the reader: ${errorMessage(err)}`, { cause: err });
      }
      this.resolvers.set(writer, resolver);
    }
    return resolver;
  }

  private requireRegistry(): SchemaRegistry {
    if (!this.registry) {
      throw new DetectorError('CONFIG_INVALID', `${this.subjectName}: Confluent framing needs a schema registry`, 'set SCHEMA_REGISTRY_URL');
    }
    return this.registry;
  }
}
