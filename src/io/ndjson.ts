import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

/** Lines of a file, or of stdin for `-`, numbered from 1. */
export async function* readLines(path: string, stdin: Readable = process.stdin): AsyncGenerator<{ line: string; lineNo: number }> {
  const input = path === '-' ? stdin : createReadStream(path, { encoding: 'utf8' });
  const rl = createInterface({ input, crlfDelay: Infinity });
  let lineNo = 0;
  for await (const line of rl) {
    lineNo++;
    yield { line, lineNo };
  }
}

/** Writes JSON lines to a file, or stdout for `-`, honouring back-pressure. */
export class NdjsonWriter {
  private readonly out: Writable;
  private readonly ownsStream: boolean;

  constructor(path: string, stdout: Writable = process.stdout) {
    this.ownsStream = path !== '-';
    this.out = path === '-' ? stdout : createWriteStream(path, { encoding: 'utf8' });
  }

  async write(value: unknown): Promise<void> {
    if (!this.out.write(`${JSON.stringify(value)}\n`)) await once(this.out, 'drain');
  }

  async close(): Promise<void> {
    if (!this.ownsStream) return;
    this.out.end();
    await once(this.out, 'finish');
  }
}
