import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { logger } from '../shared/logger.js';
import type { Lang } from './ask-labels.js';
import type { MetricResult } from './ask-result.js';
import { rowLabel } from './ask-render-rows.js';
import { familyName, latinFont, singleFace, subsetFont } from './ask-chart-font.js';

/**
 * Charts for trends and breakdowns: an ECharts option rendered to SVG on the server (ECharts'
 * SSR mode, no DOM, no browser), then to PNG with resvg and a CJK font. Both libraries load on
 * the first chart, never at CLI start-up. Without a CJK font there is no chart (one log line),
 * since Chinese labels would come out as boxes.
 */
const log = logger('assistant.chart');

/** CJK fonts looked for, in order (Debian: fonts-wqy-zenhei, fonts-noto-cjk). ASK_CHART_FONT, if set, comes first. */
export const CJK_FONT_CANDIDATES = [
  '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc',
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc',
];

export interface ChartSpec {
  kind: 'line' | 'bar' | 'pie';
  title: string;
  categories: string[];
  values: number[];
  /** How values read on the axis and labels. */
  format: 'money' | 'count' | 'percent';
  currencySymbol: string;
}

let fontWarned = false;

export function findCjkFont(extra?: string): string | undefined {
  const found = [extra, ...CJK_FONT_CANDIDATES].filter((p): p is string => Boolean(p)).find((p) => existsSync(p));
  if (!found && !fontWarned) {
    fontWarned = true;
    log.warn({ looked: CJK_FONT_CANDIDATES }, 'no CJK font found: answers come without charts (apt-get install fonts-wqy-zenhei)');
  }
  return found;
}

/** A chart for a breakdown or ranking of two or more rows; none for a single figure. */
export function chartSpecFor(r: MetricResult, title: string, lang: Lang, currentYear: number): ChartSpec | undefined {
  const rows = r.rows ?? [];
  if (rows.length < 2 || r.empty) return undefined;
  const unit = r.rowUnit ?? r.unit;
  const time = r.groupBy === 'day' || r.groupBy === 'week' || r.groupBy === 'month';
  const kind = r.metric === 'new_vs_returning' ? 'pie' : time ? 'line' : 'bar';
  const shown = time ? rows : rows.slice(0, 20);
  return {
    kind, title,
    categories: shown.map((row) => rowLabel(r, row, lang, currentYear)),
    values: shown.map((row) => (unit === 'money' ? row.value / 100 : unit === 'percent' ? Math.round(row.value * 1000) / 10 : row.value)),
    format: unit === 'money' ? 'money' : unit === 'percent' ? 'percent' : 'count',
    currencySymbol: r.currency === 'CNY' || r.currency === 'JPY' ? '¥' : r.currency === 'USD' ? '$' : r.currency === 'EUR' ? '€' : r.currency === 'GBP' ? '£' : '',
  };
}

/**
 * Each text gets one font family, never a fallback list: resvg's per-character fallback search
 * over a CJK font costs milliseconds a character. Names and titles use the CJK font; numbers and
 * dates the Latin one.
 */
function option(spec: ChartSpec, fonts: ChartFonts): Record<string, unknown> {
  const axisLabel = spec.format === 'money' ? `${spec.currencySymbol}{value}` : spec.format === 'percent' ? '{value}%' : '{value}';
  const valueText = (v: number) => (spec.format === 'money' ? `${spec.currencySymbol}${v.toLocaleString('en-US', { maximumFractionDigits: 2 })}` : spec.format === 'percent' ? `${v}%` : v.toLocaleString('en-US'));
  const names = { fontFamily: fonts.cjk };
  const numbers = { fontFamily: fonts.latin };
  const base = { animation: false, backgroundColor: '#ffffff', textStyle: names, title: { text: spec.title, left: 'center', textStyle: { fontSize: 16, ...names } } };
  if (spec.kind === 'pie') {
    return { ...base, series: [{ type: 'pie', radius: '60%', top: 30, data: spec.categories.map((name, i) => ({ name, value: spec.values[i] })), label: { formatter: '{b}: {c} ({d}%)', ...names } }] };
  }
  if (spec.kind === 'line') {
    return {
      ...base, grid: { left: 80, right: 30, top: 50, bottom: 60 },
      xAxis: { type: 'category', data: spec.categories, axisLabel: { rotate: spec.categories.length > 12 ? 45 : 0, ...(spec.categories.every((c) => /^[\x20-\x7e]*$/.test(c)) ? numbers : names) } },
      yAxis: { type: 'value', axisLabel: { formatter: axisLabel, ...numbers } },
      series: [{ type: 'line', data: spec.values, smooth: false, symbolSize: 5, areaStyle: { opacity: 0.08 } }],
    };
  }
  // rankings and breakdowns: horizontal bars, the largest on top
  return {
    ...base, grid: { left: 170, right: 70, top: 50, bottom: 30 },
    yAxis: { type: 'category', data: [...spec.categories].reverse(), axisLabel: { width: 150, overflow: 'truncate', ...names } },
    xAxis: { type: 'value', axisLabel: { formatter: axisLabel, ...numbers } },
    series: [{ type: 'bar', data: [...spec.values].reverse(), label: { show: true, position: 'right', ...numbers, formatter: (p: { value: number }) => valueText(p.value) } }],
  };
}

interface ChartFonts { cjk: string; latin: string }

/** The chart as SVG text (ECharts server-side rendering). */
export async function chartSvg(spec: ChartSpec, fonts: ChartFonts = { cjk: 'sans-serif', latin: 'sans-serif' }): Promise<string> {
  const echarts = await import('echarts');
  const height = spec.kind === 'bar' ? Math.max(300, 60 + spec.categories.length * 28) : 400;
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 800, height });
  try {
    chart.setOption(option(spec, fonts));
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** The chart as a PNG, or undefined when no CJK font is installed. */
export async function renderChartPng(spec: ChartSpec, opts: { fontFile?: string } = {}): Promise<Buffer | undefined> {
  const found = findCjkFont(opts.fontFile);
  if (!found) return undefined;
  const face = singleFace(found);
  const cjkFamily = familyName(face) ?? 'WenQuanYi Zen Hei';
  const latin = latinFont();
  // numbers and dates in DejaVu when present, names and titles in the CJK font
  const fonts = { cjk: cjkFamily, latin: latin ? 'DejaVu Sans' : cjkFamily };
  const [svg, { renderAsync }] = await Promise.all([chartSvg(spec, fonts), import('@resvg/resvg-js')]);
  // resvg takes font files only: this chart's subset goes to a temporary file, removed after
  const dir = join(tmpdir(), 'shopdesk-fonts');
  mkdirSync(dir, { recursive: true });
  const subset = join(dir, `chart-${process.pid}-${randomBytes(4).toString('hex')}.ttf`);
  writeFileSync(subset, subsetFont(face, svg));
  try {
    const image = await renderAsync(svg, {
      font: { fontFiles: latin ? [latin, subset] : [subset], loadSystemFonts: false, defaultFontFamily: cjkFamily, sansSerifFamily: cjkFamily },
      background: '#ffffff',
    });
    return image.asPng();
  } finally {
    rmSync(subset, { force: true });
  }
}

/** Loads ECharts, resvg and the CJK font ahead of the first chart (a long-running server calls it at start). */
export async function warmUpCharts(fontFile?: string): Promise<void> {
  const found = findCjkFont(fontFile);
  if (!found) return;
  singleFace(found);
  await Promise.all([import('echarts'), import('@resvg/resvg-js')]);
}
