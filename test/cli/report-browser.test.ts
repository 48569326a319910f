import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import puppeteer, { type Browser } from 'puppeteer-core';

/**
 * The HTML report in a real headless Chromium (Debian's, which `.ci/run`
 * installs; CHROMIUM_PATH overrides): it renders without a console error or
 * page error, its charts are there, and its one script works.
 */
const CLI = join(__dirname, '../../dist/cli/main.js');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const dir = mkdtempSync(join(tmpdir(), 'cli-report-'));

function cli(args: string[]): void {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
  if (r.status !== 0) throw new Error(`abuse-detector ${args[0] ?? ''} exited ${String(r.status)}: ${r.stderr}`);
}

describe('the backtest HTML report in a browser', () => {
  let browser: Browser | undefined;
  const html = join(dir, 'report.html');

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium, or set CHROMIUM_PATH`);
    cli(['simulate', '--accounts', '300', '--hours', '6', '--start', '2026-01-05T13:00:00Z', '--output', join(dir, 'events.ndjson'), '--labels', join(dir, 'labels.ndjson')]);
    writeFileSync(join(dir, 'candidate.yaml'), 'version: candidate-1\nrules:\n  calls_per_hour: { threshold: 30 }\n');
    cli(['backtest', '--input', join(dir, 'events.ndjson'), '--labels', join(dir, 'labels.ndjson'), '--compare-policy', join(dir, 'candidate.yaml'), '--sweep', '0.5,2', '--html', html]);
    // As root (CI containers) Chromium needs --no-sandbox.
    browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('renders with no console or page errors, every chart drawn, and a working filter', async () => {
    if (!browser) throw new Error('the browser did not start');
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warn') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e instanceof Error ? e.message : String(e)}`));
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));

    // Page code as text, so this Node-typed test needs no DOM types; the result comes back as JSON.
    const inPage = async <T>(expression: string): Promise<T> => JSON.parse(String(await page.evaluate(`JSON.stringify(${expression})`))) as T;

    await page.goto(pathToFileURL(html).href, { waitUntil: 'load' });
    expect(problems).toEqual([]);
    // Self-contained: the page itself is the only thing loaded.
    expect(requests).toEqual([pathToFileURL(html).href]);

    const charts = await inPage<{ marks: number; width: number }[]>(`[...document.querySelectorAll('svg.chart')].map((s) => ({ marks: s.querySelectorAll('rect, circle, polyline').length, width: s.getBoundingClientRect().width }))`);
    // Categories, rules, time to detect, and one small chart per rule in the sweep.
    expect(charts.length).toBeGreaterThanOrEqual(4);
    expect(charts.every((c) => c.marks > 0 && c.width > 0)).toBe(true);
    expect(await inPage<string[]>(`[...document.querySelectorAll('h2')].map((h) => h.textContent)`)).toEqual(
      expect.arrayContaining(['Per category', 'False positives by persona', 'Per rule', 'Time to detect', 'Thresholds', 'Policy candidate-1 compared with builtin-defaults']),
    );

    const visible = (): Promise<number> => inPage<number>(`[...document.querySelectorAll('#changes tbody tr')].filter((r) => r.style.display !== 'none').length`);
    const all = await visible();
    expect(all).toBeGreaterThan(0);
    await page.type('#filter', 'no-such-persona');
    expect(await visible()).toBe(0);
    expect(problems).toEqual([]);
  }, 60_000);
});
