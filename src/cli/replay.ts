import type { Readable, Writable } from 'node:stream';
import { buildPipeline, DEFAULT_PIPELINE_SETTINGS } from '../app/build-pipeline';
import { loadPolicyFile } from '../config/policy-file';
import { defaultRules } from '../detectors';
import { BadRecordError } from '../errors';
import { validateEvent } from '../events/validate';
import { NdjsonWriter, readLines } from '../io/ndjson';

/**
 * `replay`: the production pipeline over an NDJSON file of contract events.
 * A bad line is reported on stderr with its number and skipped; the exit code
 * says whether any line was bad.
 */
export interface ReplayOptions {
  input: string;
  output: string;
  policyFile?: string;
}

export interface ReplaySummary {
  lines: number;
  events: number;
  badLines: number;
  violations: number;
}

export const REPLAY_EXIT_BAD_LINES = 1;

export async function replay(opts: ReplayOptions, io: { stdin?: Readable; stdout?: Writable; stderr: Writable }): Promise<ReplaySummary> {
  const policy = loadPolicyFile(opts.policyFile, defaultRules());
  const pipeline = buildPipeline(policy, DEFAULT_PIPELINE_SETTINGS);
  const writer = new NdjsonWriter(opts.output, io.stdout);
  const summary: ReplaySummary = { lines: 0, events: 0, badLines: 0, violations: 0 };
  try {
    for await (const { line, lineNo } of readLines(opts.input, io.stdin)) {
      summary.lines = lineNo;
      if (line.trim() === '') continue;
      let event;
      try {
        event = validateEvent(JSON.parse(line));
      } catch (err) {
        summary.badLines++;
        // JSON.parse's own message quotes the line, which may hold a number or text: say only what is wrong.
        const reason = err instanceof BadRecordError ? err.message : 'not a valid JSON object';
        io.stderr.write(`${opts.input}:${lineNo}: ${reason}\n`);
        continue;
      }
      summary.events++;
      for (const violation of pipeline.process(event, 0)) {
        summary.violations++;
        await writer.write(violation);
      }
    }
  } finally {
    await writer.close();
  }
  return summary;
}
