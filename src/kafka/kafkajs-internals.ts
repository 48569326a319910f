import { createRequire } from 'node:module';

/**
 * The kafkajs release whose internal modules this project reaches into
 * (kafkajs-patches.ts replaces some of them, fetch-rounds.ts wraps one).
 * Internals change without notice between releases: with any other version
 * installed, both leave kafkajs as it is. Upgrading kafkajs means checking
 * both against the new source, then changing this one line.
 */
export const KAFKAJS_VERSION = '2.2.4';

export type VersionMismatch = `kafkajs ${string} is not ${typeof KAFKAJS_VERSION}`;

/** A `require` that loads kafkajs's own modules (`load('kafkajs/src/…')`), or why it would not be the release known here. */
export function kafkajsInternals(): NodeJS.Require | VersionMismatch {
  const load = createRequire(__filename);
  const version = (load('kafkajs/package.json') as { version: string }).version;
  return version === KAFKAJS_VERSION ? load : `kafkajs ${version} is not ${KAFKAJS_VERSION}`;
}
