import type { EventType } from './types';
import { AvroCodec, type NamedSchema } from './codec';
import type { SchemaRegistry } from './registry';

/** The schema file behind each event type and the violation (schemas/*.avsc). */
export const SCHEMA_NAMES = {
  call: 'CallEvent',
  message: 'MessageEvent',
  registration: 'RegistrationEvent',
  report: 'ReportEvent',
  violation: 'Violation',
} as const;

export interface Codecs {
  events: Record<EventType, AvroCodec>;
  violation: AvroCodec;
}

/**
 * Builds a codec per record type. Files named `Name.vN.avsc` in schemas/ are
 * earlier versions of `Name`, accepted from writers and resolved to the reader.
 */
export function buildCodecs(schemas: readonly NamedSchema[], registry?: SchemaRegistry): Codecs {
  const codec = (name: string): AvroCodec => {
    const current = schemas.find((s) => s.name === name);
    if (!current) throw new Error(`schemas/${name}.avsc is missing`);
    const older = schemas.filter((s) => s.name.startsWith(`${name}.`)).map((s) => s.schema);
    return new AvroCodec(name, current.schema, older, registry);
  };
  return {
    events: {
      call: codec(SCHEMA_NAMES.call),
      message: codec(SCHEMA_NAMES.message),
      registration: codec(SCHEMA_NAMES.registration),
      report: codec(SCHEMA_NAMES.report),
    },
    violation: codec(SCHEMA_NAMES.violation),
  };
}
