/**
 * Progress of a long job on stderr: a bar redrawn in place on a terminal,
 * and otherwise (CI logs, files) a plain line every tenth, so logs stay short.
 */
export interface ProgressOutput {
  write(text: string): unknown;
  isTTY?: boolean;
}

export class Progress {
  private lastDraw = 0;
  private lastTenth = 0;
  private readonly started: number;

  constructor(
    private readonly out: ProgressOutput,
    private readonly what: string,
    private readonly now: () => number = Date.now,
  ) {
    this.started = now();
  }

  /** `count` things done so far, `fraction` (0–1) of the whole. */
  update(count: number, fraction: number): void {
    const f = Math.min(1, Math.max(0, fraction));
    const t = this.now();
    if (this.out.isTTY === true) {
      if (t - this.lastDraw < 100 && f < 1) return;
      this.lastDraw = t;
      const width = 30;
      const filled = Math.round(f * width);
      this.out.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.floor(f * 100)).padStart(3)}%  ${count.toLocaleString('en-US')} ${this.what}  ${this.rate(count, t)}/s `);
      return;
    }
    const tenth = Math.floor(f * 10);
    if (tenth > this.lastTenth) {
      this.lastTenth = tenth;
      this.out.write(`${tenth * 10}%: ${count.toLocaleString('en-US')} ${this.what} (${this.rate(count, t)}/s)\n`);
    }
  }

  /** Ends the bar with a summary line. */
  finish(summary: string): void {
    if (this.out.isTTY === true) this.out.write('\n');
    this.out.write(`${summary} in ${((this.now() - this.started) / 1000).toFixed(1)} s\n`);
  }

  private rate(count: number, t: number): string {
    const seconds = Math.max(0.001, (t - this.started) / 1000);
    return Math.round(count / seconds).toLocaleString('en-US');
  }
}
