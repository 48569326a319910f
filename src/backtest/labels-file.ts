import { DetectorError } from '../errors';
import { CATEGORIES, type Category } from '../events/types';
import { readLines } from '../io/ndjson';
import type { AccountLabel } from '../simulate/labels';

/**
 * Reads a labels file (NDJSON, one account a line, as `simulate --labels`
 * writes it). A bad line stops the backtest with its number and what is
 * wrong: scores over half-read labels would mislead.
 */
export class LabelsError extends DetectorError {
  constructor(path: string, lineNo: number, problem: string) {
    super('USAGE', `${path}:${lineNo}: ${problem}`, 'give the labels file that `abuse-detector simulate --labels` wrote for this input');
  }
}

function isCategory(v: unknown): v is Category {
  return typeof v === 'string' && (CATEGORIES as readonly string[]).includes(v);
}

export function parseLabel(raw: unknown): AccountLabel | string {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'expected a JSON object';
  const o = raw as Record<string, unknown>;
  if (typeof o.accountId !== 'string' || o.accountId === '') return 'field "accountId": expected a non-empty string';
  if (typeof o.persona !== 'string' || o.persona === '') return 'field "persona": expected a non-empty string';
  if (o.label !== 'abusive' && o.label !== 'legitimate') return 'field "label": expected "abusive" or "legitimate"';
  if (!Array.isArray(o.categories) || !o.categories.every(isCategory)) return `field "categories": expected a list of ${CATEGORIES.join(', ')}`;
  if (o.firstAbusiveEventTime !== null && o.firstAbusiveEventTime !== undefined && (typeof o.firstAbusiveEventTime !== 'number' || !Number.isFinite(o.firstAbusiveEventTime))) {
    return 'field "firstAbusiveEventTime": expected milliseconds since the epoch, or null';
  }
  if (o.label === 'legitimate' && o.categories.length > 0) return 'field "categories": a legitimate account has none';
  return {
    accountId: o.accountId,
    persona: o.persona,
    label: o.label,
    categories: o.categories,
    firstAbusiveEventTime: typeof o.firstAbusiveEventTime === 'number' ? o.firstAbusiveEventTime : null,
    group: typeof o.group === 'string' ? o.group : o.accountId,
    lookAlike: o.lookAlike === true,
  };
}

export async function readLabels(path: string): Promise<Map<string, AccountLabel>> {
  const labels = new Map<string, AccountLabel>();
  for await (const { line, lineNo } of readLines(path)) {
    if (line.trim() === '') continue;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      throw new LabelsError(path, lineNo, 'not valid JSON');
    }
    const label = parseLabel(raw);
    if (typeof label === 'string') throw new LabelsError(path, lineNo, label);
    if (labels.has(label.accountId)) throw new LabelsError(path, lineNo, 'this account is labelled twice');
    labels.set(label.accountId, label);
  }
  if (labels.size === 0) throw new LabelsError(path, 0, 'no labels in the file');
  return labels;
}
