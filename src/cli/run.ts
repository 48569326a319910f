import { buildPipeline } from '../app/build-pipeline';
import { loadPolicyFile } from '../config/policy-file';
import { watchPolicyFile } from '../config/policy-watcher';
import { runConfigFromEnv } from '../config/run-config';
import { defaultRules } from '../detectors';
import { createKafka } from '../kafka/client';
import type { Pipeline } from '../engine/pipeline';
import { DetectorService } from '../kafka/detector-service';
import { installKafkajsPatches } from '../kafka/kafkajs-patches';
import { startHttpServer } from '../telemetry/http-server';
import { createLogger } from '../telemetry/logger';
import { Metrics } from '../telemetry/metrics';
import { codecsFor } from './services';

/**
 * `run`: the service. Configuration comes from the environment and is checked
 * before anything connects. SIGTERM or SIGINT drains and exits 0.
 */
export async function run(env: Readonly<Record<string, string | undefined>>): Promise<number> {
  const config = runConfigFromEnv(env);
  const logger = createLogger(config.logLevel);
  const defaults = defaultRules();
  const policy = loadPolicyFile(config.policyFile, defaults);
  const metrics = new Metrics();
  const codecs = await codecsFor(config);
  // One pipeline per input partition, so state moves with its partition; the policy in force when it is made.
  let current = policy;
  const createPipeline = (partition: number): Pipeline => buildPipeline(current, { ...config, trackChanges: true }, metrics.forPartition(partition));
  const service = new DetectorService({ kafka: createKafka(config.brokers, config.clientId, logger), config, codecs, createPipeline, logger, metrics });
  // Installed when the modules loaded; this only reads the outcome.
  logger.info('kafkajs producer fixes', { outcome: installKafkajsPatches() });
  logger.info('policy loaded', { version: policy.version, rules: Object.keys(policy.rules).length });

  const server = config.metricsPort > 0 ? await startHttpServer(config.metricsPort, metrics.registry, { live: () => service.state !== 'failed', ready: () => service.ready() }) : undefined;
  const stopWatching =
    config.policyFile !== undefined && config.policyReloadMs > 0
      ? watchPolicyFile(config.policyFile, defaults, config.policyReloadMs, {
          applied: (next) => {
            current = next;
            service.setPolicy(next);
            metrics.policyReloaded('ok');
            logger.info('policy reloaded', { version: next.version });
          },
          rejected: (reason) => {
            metrics.policyReloaded('rejected');
            logger.error('policy reload rejected; the previous policy stays in force', { reason });
          },
        })
      : () => undefined;

  const done = new Promise<number>((resolve) => {
    let stopping = false;
    const shutdown = (signal: string): void => {
      if (stopping) return;
      stopping = true;
      logger.info('shutting down', { signal });
      stopWatching();
      service.stop().then(
        () => resolve(0),
        (err: unknown) => {
          logger.error('shutdown failed', { error: String(err) });
          resolve(1);
        },
      );
    };
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    process.once('SIGINT', () => shutdown('SIGINT'));
    service.onFailure(() => {
      stopWatching();
      resolve(1);
    });
  });
  await service.start();
  const code = await done;
  server?.close();
  return code;
}
