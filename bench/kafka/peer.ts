import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BROKERS, inputTopicList, type BenchTopics } from './bench-env';
import { Child } from './child';

/**
 * The Kafka Streams peer (bench/streams-peer), built by `make bench-peer`
 * into target/classes + target/lib. Returns undefined when it is not built
 * (no Maven), so the rest of the bench still runs.
 */
const PEER_DIR = join(process.cwd(), 'bench', 'streams-peer', 'target');

export const peerBuilt = (): boolean => existsSync(join(PEER_DIR, 'classes')) && existsSync(join(PEER_DIR, 'lib'));

export type Guarantee = 'at_least_once' | 'exactly_once_v2';

export function startPeer(topics: BenchTopics, applicationId: string, output: string, guarantee: Guarantee, stateDir: string, logFile: string): Child {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    BOOTSTRAP: BROKERS,
    APPLICATION_ID: applicationId,
    TOPIC_CALLS: topics.input.call,
    TOPIC_MESSAGES: topics.input.message,
    TOPIC_OTHER: inputTopicList(topics).filter((t) => t !== topics.input.call && t !== topics.input.message).join(','),
    TOPIC_OUT: output,
    PROCESSING_GUARANTEE: guarantee,
    STATE_DIR: stateDir,
    STORE: process.env.BENCH_PEER_STORE ?? 'memory',
  };
  const cp = `${join(PEER_DIR, 'classes')}:${join(PEER_DIR, 'lib', '*')}`;
  return new Child('streams-peer', 'java', ['-Xms1g', '-Xmx2g', '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn', // One line per late record would flood the log on disordered input.
    '-Dorg.slf4j.simpleLogger.log.org.apache.kafka.streams.kstream.internals.KStreamWindowAggregate=error', '-cp', cp, 'local.abusedetector.peer.StreamsPeer'], env, logFile);
}
