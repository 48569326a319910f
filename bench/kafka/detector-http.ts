import { createServer } from 'node:net';

/** A port nobody listens on now, for the detector's metrics server. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Waits for the detector's /readyz: running, and a member of its group with partitions assigned. */
export async function waitReady(port: number, timeoutMs: number, alive: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!alive()) throw new Error('the detector exited before it was ready');
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the detector was not ready within ${timeoutMs / 1000} s`);
}

/** Each metric of /metrics summed over its labels (counters the bench reports beside its figures). */
export async function scrapeTotals(port: number): Promise<Record<string, number>> {
  const text = await fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text());
  const totals: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)(?:\{[^}]*\})? ([0-9.e+-]+)$/.exec(line);
    if (m?.[1] !== undefined && m[2] !== undefined) totals[m[1]] = (totals[m[1]] ?? 0) + Number(m[2]);
  }
  return totals;
}
