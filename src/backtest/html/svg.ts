/**
 * Inline SVG charts for the self-contained report: no library, no external
 * resource. Each returns an <svg> element as a string; every mark carries a
 * <title> so hovering shows its value without any script.
 */
export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export interface BarSeries {
  name: string;
  colour: string;
}

export interface StackedBar {
  label: string;
  values: number[];
}

/** Horizontal bars, one per row, stacked by series (e.g. abusive and legitimate accounts per rule). */
export function horizontalStackedBars(rows: readonly StackedBar[], series: readonly BarSeries[], opts: { labelWidth?: number; width?: number } = {}): string {
  const labelWidth = opts.labelWidth ?? 230;
  const width = opts.width ?? 760;
  const barArea = width - labelWidth - 60;
  const rowHeight = 20;
  const max = Math.max(1, ...rows.map((r) => r.values.reduce((s, v) => s + v, 0)));
  const height = rows.length * rowHeight + 30;
  const marks = rows.map((row, i) => {
    const y = i * rowHeight + 4;
    let x = labelWidth;
    const parts = row.values.map((v, k) => {
      const w = (v / max) * barArea;
      const s = series[k];
      const rect = v > 0 ? `<rect x="${x.toFixed(1)}" y="${y}" width="${Math.max(1, w).toFixed(1)}" height="${rowHeight - 6}" fill="${s?.colour ?? '#888'}"><title>${esc(row.label)}: ${v} ${esc(s?.name ?? '')}</title></rect>` : '';
      x += w;
      return rect;
    });
    const total = row.values.reduce((s, v) => s + v, 0);
    return `<text x="${labelWidth - 6}" y="${y + 11}" text-anchor="end" class="lbl">${esc(row.label)}</text>${parts.join('')}<text x="${(x + 4).toFixed(1)}" y="${y + 11}" class="val">${total}</text>`;
  });
  const legend = series.map((s, k) => `<rect x="${labelWidth + k * 170}" y="${height - 16}" width="12" height="12" fill="${s.colour}"/><text x="${labelWidth + k * 170 + 16}" y="${height - 6}" class="lbl">${esc(s.name)}</text>`).join('');
  return `<svg class="chart" role="img" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">${marks.join('')}${legend}</svg>`;
}

/** Vertical bars for a histogram of labelled buckets. */
export function histogram(buckets: readonly { label: string; count: number }[], opts: { colour?: string; width?: number; height?: number } = {}): string {
  const width = opts.width ?? 760;
  const height = opts.height ?? 220;
  const plot = { left: 40, right: 10, top: 14, bottom: 34 };
  const max = Math.max(1, ...buckets.map((b) => b.count));
  const slot = (width - plot.left - plot.right) / Math.max(1, buckets.length);
  const inner = height - plot.top - plot.bottom;
  const bars = buckets.map((b, i) => {
    const h = (b.count / max) * inner;
    const x = plot.left + i * slot + slot * 0.12;
    const y = plot.top + inner - h;
    return (
      `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${(slot * 0.76).toFixed(1)}" height="${Math.max(0, h).toFixed(1)}" fill="${opts.colour ?? '#3b6ea8'}"><title>${esc(b.label)}: ${b.count}</title></rect>` +
      `<text x="${(x + slot * 0.38).toFixed(1)}" y="${(y - 3).toFixed(1)}" text-anchor="middle" class="val">${b.count}</text>` +
      `<text x="${(x + slot * 0.38).toFixed(1)}" y="${height - plot.bottom + 16}" text-anchor="middle" class="lbl">${esc(b.label)}</text>`
    );
  });
  const axis = `<line x1="${plot.left}" y1="${plot.top + inner}" x2="${width - plot.right}" y2="${plot.top + inner}" class="axis"/>`;
  return `<svg class="chart" role="img" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">${axis}${bars.join('')}</svg>`;
}

export interface LineSeries {
  name: string;
  colour: string;
  values: number[];
}

/** A small line chart over shared x labels (the threshold factors), one line per series. */
export function smallLines(title: string, xs: readonly number[], series: readonly LineSeries[], opts: { width?: number; height?: number; mark?: number } = {}): string {
  const width = opts.width ?? 230;
  const height = opts.height ?? 130;
  const plot = { left: 30, right: 8, top: 20, bottom: 22 };
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const xAt = (i: number): number => plot.left + (xs.length <= 1 ? 0 : (i / (xs.length - 1)) * (width - plot.left - plot.right));
  const yAt = (v: number): number => plot.top + (1 - v / max) * (height - plot.top - plot.bottom);
  const lines = series.map((s) => {
    const points = s.values.map((v, i) => `${xAt(i).toFixed(1)},${yAt(v).toFixed(1)}`).join(' ');
    const dots = s.values.map((v, i) => `<circle cx="${xAt(i).toFixed(1)}" cy="${yAt(v).toFixed(1)}" r="2.5" fill="${s.colour}"><title>${esc(s.name)} at ×${xs[i] ?? ''}: ${v}</title></circle>`).join('');
    return `<polyline points="${points}" fill="none" stroke="${s.colour}" stroke-width="1.8"/>${dots}`;
  });
  const markIndex = opts.mark === undefined ? -1 : xs.indexOf(opts.mark);
  const mark = markIndex >= 0 ? `<line x1="${xAt(markIndex)}" y1="${plot.top}" x2="${xAt(markIndex)}" y2="${height - plot.bottom}" class="mark"/>` : '';
  const ticks = xs.map((x, i) => `<text x="${xAt(i).toFixed(1)}" y="${height - 6}" text-anchor="middle" class="tick">×${x}</text>`).join('');
  return (
    `<svg class="chart small" role="img" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">` +
    `<text x="4" y="13" class="title">${esc(title)}</text><text x="${plot.left - 4}" y="${plot.top + 8}" text-anchor="end" class="tick">${max}</text>` +
    `<line x1="${plot.left}" y1="${height - plot.bottom}" x2="${width - plot.right}" y2="${height - plot.bottom}" class="axis"/>${mark}${lines.join('')}${ticks}</svg>`
  );
}
