import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A benchmarked process (our detector, the Kafka Streams peer, the CLI) with
 * its output kept in a log file, so a failure can be read after the fact
 * without flooding the bench's table.
 */
export class Child {
  readonly process: ChildProcess;
  readonly exited: Promise<number>;
  private code: number | undefined;

  constructor(
    readonly name: string,
    command: string,
    args: readonly string[],
    env: Readonly<Record<string, string>>,
    readonly logFile: string,
  ) {
    const log = createWriteStream(logFile);
    this.process = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.process.stdout?.pipe(log);
    this.process.stderr?.pipe(log);
    this.exited = new Promise((resolve) => {
      this.process.once('exit', (code, signal) => {
        this.code = code ?? (signal !== null ? 128 : 1);
        resolve(this.code);
      });
    });
  }

  get running(): boolean {
    return this.code === undefined;
  }

  /** SIGTERM (a drain for ours, a clean close for Streams), then SIGKILL if it lingers. */
  async stop(graceMs = 30_000): Promise<number> {
    if (!this.running) return this.exited;
    this.process.kill('SIGTERM');
    const timer = setTimeout(() => this.process.kill('SIGKILL'), graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Runs a command to the end; throws with its log file named if it fails. */
export async function runToEnd(name: string, command: string, args: readonly string[], env: Readonly<Record<string, string>>, logFile: string): Promise<void> {
  const code = await new Child(name, command, args, env, logFile).exited;
  if (code !== 0) throw new Error(`${name} exited with ${code}; see ${logFile}`);
}

/**
 * CPU seconds (user + system, every thread) a live process has used, from
 * /proc: on a shared, noisy machine, records per CPU-second compare two
 * processes more fairly than wall time does. Undefined where /proc is missing.
 */
export function cpuSecondsOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    // Fields after the command name (which may hold spaces) start at state; utime and stime are the 12th and 13th after it.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

/** USER_HZ: 100 on every Linux this runs on. */
const CLOCK_TICKS = 100;

/**
 * Node flags for the `run` process under test: BENCH_RUN_NODE_ARGS (space-separated; e.g. `--trace-gc`), and with
 * BENCH_PROFILE=1 a CPU profile written to out/bench/<profileName>.cpuprofile.
 */
export function runNodeArgs(profileName: string): string[] {
  const args = (process.env.BENCH_RUN_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
  if (process.env.BENCH_PROFILE === '1') args.push('--cpu-prof', `--cpu-prof-dir=${join(process.cwd(), 'out', 'bench')}`, `--cpu-prof-name=${profileName}.cpuprofile`);
  return args;
}
