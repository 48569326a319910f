#!/usr/bin/env node
// First: kafkajs producer fixes that must be in place before kafkajs loads (see the module).
import '../kafka/kafkajs-patches';
import { parseArgs } from 'node:util';
import { DetectorError } from '../errors';
import { numberIn, positiveInt, startTime, UsageError } from './args';
import { backtest } from './backtest';
import { generate } from './generate';
import { replay, REPLAY_EXIT_BAD_LINES } from './replay';
import { run } from './run';
import { simulateCommand } from './simulate';
import { resetStateCommand } from './reset-state';
import { topics } from './topics';
import { watch } from './watch';

/**
 * `abuse-detector <command>`: thin argument parsing over the library.
 * Exit codes: 0 ok; 1 replay found bad lines, or the service failed; 2 usage
 * or configuration error (the message names the setting).
 */
const USAGE = `usage: abuse-detector <command> [options]

commands:
  run                          the service: Kafka telemetry in, violations out (configured by environment variables; see README)
  replay --input FILE          the same pipeline over NDJSON events ('-' for stdin)
         [--policy FILE]       policy file (YAML or JSON); built-in defaults otherwise
         [--output FILE]       violations as NDJSON (default '-', stdout)
  topics                       create the telemetry, enforcement and dead-letter topics that are missing
  reset-state                  forget the state of KAFKA_GROUP_ID: delete its consumer group and changelog topic
  watch [--from-beginning] [--json] [--idle-exit-ms N] [--ready-file F]
                               print violations as they arrive on the enforcement topic
  generate [--accounts N] [--minutes N] [--seed N] [--start ISO|now]
           [--output FILE] [--kafka] [--rate N]
                               demo traffic with abusive accounts, as NDJSON and/or Avro to the topics
  simulate [--accounts N] [--hours N] [--seed N] [--start ISO|now]
           [--abuse-share F] [--look-alike-share F] [--intensity F] [--subtlety F]
           [--output FILE] [--labels FILE] [--kafka] [--rate N]
                               a labelled, realistic population (legitimate, heavy legitimate and abusive
                               personas of every category) as NDJSON and/or Avro, labels as NDJSON
  backtest --input FILE --labels FILE [--policy FILE] [--compare-policy FILE]
           [--html FILE] [--json FILE] [--sweep F,F,…|none]
                               replays labelled events and reports per category precision, recall and time to
                               detect, false positives by persona, per-rule counts, threshold effects, and what
                               a candidate policy would change account by account
`;

const DEMO_START = Date.UTC(2026, 0, 5, 9);
const SIMULATION_START = Date.UTC(2026, 0, 5);

/** `--sweep 0.5,2` → [0.5, 2]; `none` → no sweep; default five factors around 1. */
function sweepFactors(raw: string | undefined): number[] {
  if (raw === undefined) return [0.5, 0.75, 1.25, 1.5, 2];
  if (raw === 'none') return [];
  return raw.split(',').map((part) => {
    const f = numberIn('sweep', part.trim(), 1, 0.01, 100);
    if (f === 1) throw new UsageError('--sweep: factor 1 is the policy itself; give the others');
    return f;
  });
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const env = process.env;
  switch (command) {
    case 'run':
      parseArgs({ args: rest, options: {} });
      return run(env);
    case 'replay': {
      const { values } = parseArgs({ args: rest, options: { input: { type: 'string' }, policy: { type: 'string' }, output: { type: 'string', default: '-' } } });
      if (values.input === undefined) throw new UsageError('replay needs --input FILE (or --input - for stdin)');
      const summary = await replay({ input: values.input, output: values.output, policyFile: values.policy }, { stderr: process.stderr });
      process.stderr.write(`replayed ${summary.events} events: ${summary.violations} violation(s), ${summary.badLines} bad line(s)\n`);
      return summary.badLines > 0 ? REPLAY_EXIT_BAD_LINES : 0;
    }
    case 'topics':
      return topics(env, process.stdout);
    case 'reset-state':
      parseArgs({ args: rest, options: {} });
      return resetStateCommand(env, process.stdout);
    case 'watch': {
      const { values } = parseArgs({ args: rest, options: { 'from-beginning': { type: 'boolean', default: false }, json: { type: 'boolean', default: false }, 'idle-exit-ms': { type: 'string' }, 'ready-file': { type: 'string' } } });
      return watch(env, { fromBeginning: values['from-beginning'], json: values.json, idleExitMs: values['idle-exit-ms'] === undefined ? 0 : positiveInt('idle-exit-ms', values['idle-exit-ms'], 0), readyFile: values['ready-file'] }, process.stdout);
    }
    case 'generate': {
      const { values } = parseArgs({
        args: rest,
        options: { accounts: { type: 'string' }, minutes: { type: 'string' }, seed: { type: 'string' }, start: { type: 'string' }, output: { type: 'string' }, kafka: { type: 'boolean', default: false }, rate: { type: 'string' } },
      });
      if (values.output === undefined && !values.kafka) throw new UsageError('generate needs --output FILE, --kafka, or both');
      return generate(
        env,
        {
          accounts: positiveInt('accounts', values.accounts, 500),
          minutes: positiveInt('minutes', values.minutes, 5),
          seed: positiveInt('seed', values.seed, 1),
          startTime: startTime(values.start, DEMO_START),
          output: values.output,
          kafka: values.kafka,
          ratePerSecond: positiveInt('rate', values.rate, 5000),
        },
        process.stderr,
      );
    }
    case 'simulate': {
      const { values } = parseArgs({
        args: rest,
        options: {
          accounts: { type: 'string' },
          hours: { type: 'string' },
          seed: { type: 'string' },
          start: { type: 'string' },
          'abuse-share': { type: 'string' },
          'look-alike-share': { type: 'string' },
          intensity: { type: 'string' },
          subtlety: { type: 'string' },
          output: { type: 'string' },
          labels: { type: 'string' },
          kafka: { type: 'boolean', default: false },
          rate: { type: 'string' },
        },
      });
      if (values.output === undefined && !values.kafka) throw new UsageError('simulate needs --output FILE, --kafka, or both');
      if (values.output === '-' && values.labels === '-') throw new UsageError('--output and --labels cannot both be stdout');
      return simulateCommand(
        env,
        {
          accounts: positiveInt('accounts', values.accounts, 1000),
          hours: positiveInt('hours', values.hours, 24),
          seed: positiveInt('seed', values.seed, 1),
          start: startTime(values.start, SIMULATION_START),
          abuseShare: numberIn('abuse-share', values['abuse-share'], 0.02, 0, 0.5),
          lookAlikeShare: numberIn('look-alike-share', values['look-alike-share'], 0.08, 0, 0.5),
          knobs: { intensity: numberIn('intensity', values.intensity, 1, 0.1, 10), subtlety: numberIn('subtlety', values.subtlety, 0, 0, 1) },
          output: values.output,
          labels: values.labels,
          kafka: values.kafka,
          ratePerSecond: positiveInt('rate', values.rate, 5000),
        },
        process.stderr,
      );
    }
    case 'backtest': {
      const { values } = parseArgs({
        args: rest,
        options: { input: { type: 'string' }, labels: { type: 'string' }, policy: { type: 'string' }, 'compare-policy': { type: 'string' }, html: { type: 'string' }, json: { type: 'string' }, sweep: { type: 'string' } },
      });
      if (values.input === undefined || values.labels === undefined) throw new UsageError('backtest needs --input FILE and --labels FILE (as `simulate --output … --labels …` writes them)');
      return backtest(
        { input: values.input, labels: values.labels, policyFile: values.policy, comparePolicyFile: values['compare-policy'], html: values.html, json: values.json, sweep: sweepFactors(values.sweep) },
        process.stdout,
        process.stderr,
      );
    }
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

// A reader that stops early (`| head`) is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof DetectorError) {
      process.stderr.write(`abuse-detector: ${err.message}\n  → ${err.hint}\n`);
      process.exit(err.code === 'USAGE' || err.code === 'CONFIG_INVALID' || err.code === 'POLICY_INVALID' ? 2 : 1);
    }
    if (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`abuse-detector: ${err.message}\n\n${USAGE}`);
      process.exit(2);
    }
    process.stderr.write(`abuse-detector: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
