import { DetectorError } from '../errors';

/** Argument checks shared by the commands: each bad value is named with what was expected (exit 2). */
export class UsageError extends DetectorError {
  constructor(message: string) {
    super('USAGE', message, 'run `abuse-detector --help`');
  }
}

export function positiveInt(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) <= 0) throw new UsageError(`--${name}: "${raw}" is not a positive whole number`);
  return Number(raw);
}

/** A decimal number within [min, max]. */
export function numberIn(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n < min || n > max) throw new UsageError(`--${name}: "${raw}" is not a number from ${min} to ${max}`);
  return n;
}

export function startTime(raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  if (raw === 'now') return Date.now();
  const t = Date.parse(raw);
  if (Number.isNaN(t)) throw new UsageError(`--start: "${raw}" is not an ISO time or "now"`);
  return t;
}
