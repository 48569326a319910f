import { createHash } from 'node:crypto';
import { buildPipeline, DEFAULT_PIPELINE_SETTINGS } from '../src/app/build-pipeline';
import { defaultRules } from '../src/detectors';
import type { Finding } from '../src/detectors/types';
import { NOOP_OBSERVER } from '../src/engine/pipeline';
import type { Violation } from '../src/events/types';
import { compilePolicy } from '../src/policy/compile';
import { benchLoad } from './load';

/**
 * What an optimisation must not change: replays the benchmark traffic and
 * prints a digest of the sorted violations, of every finding (published or
 * not) and of the late and eviction counts. Compare the line before and after
 * a change. Usage: node dist-bench/bench/violations-digest.js [accounts] [minutes] [seed]
 */
const accounts = Number(process.argv[2] ?? 20_000);
const minutes = Number(process.argv[3] ?? 10);
const seed = Number(process.argv[4] ?? 7);

const findings: string[] = [];
const counts = new Map<string, number>();
const bump = (what: string, n = 1): void => void counts.set(what, (counts.get(what) ?? 0) + n);
const observer = {
  ...NOOP_OBSERVER,
  late: (d: string, r: string) => bump(`late ${d} ${r}`),
  finding: (f: Finding, outcome: string) => void findings.push(JSON.stringify([outcome, f])),
  evicted: (d: string, reason: string, n: number) => bump(`evicted ${d} ${reason}`, n),
};
const pipeline = buildPipeline(compilePolicy(undefined, defaultRules()), DEFAULT_PIPELINE_SETTINGS, observer);
const violations: Violation[] = [];
for (const e of benchLoad(accounts, minutes, seed)) violations.push(...pipeline.process(e, 0));

const digest = (lines: string[]): string => createHash('sha256').update(lines.sort().join('\n')).digest('hex').slice(0, 16);
const tally = [...counts].map(([k, v]) => `${k}=${v}`);
process.stdout.write(
  `${JSON.stringify({ accounts, minutes, seed, violations: violations.length, violationsDigest: digest(violations.map((v) => JSON.stringify(v))), findings: findings.length, findingsDigest: digest(findings), counts: digest(tally), tally: tally.sort() })}\n`,
);
