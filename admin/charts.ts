/**
 * Server-rendered SVG bar charts for the staff dashboard: pure (no I/O, no clock), no client library, no
 * JavaScript. Every chart is an image with a title and a description (`role="img"`, `aria-labelledby`);
 * the page puts a table with the same numbers next to it, which is what assistive technology reads.
 */

export interface ChartSeries {
  name: string;
  /** One value per category, in the order of `categories`; null where there is no figure. */
  values: (number | null)[];
}

export interface BarChart {
  /** Unique on the page: the ids of the title and description derive from it. */
  id: string;
  title: string;
  description: string;
  categories: string[];
  series: ChartSeries[];
  /** How a value is written next to its bar (the page's locale and unit). */
  format: (value: number) => string;
  /** Written instead of a bar where a value is null. */
  noValue: string;
}

/**
 * Bar fills on white, each at least 4.5:1 (WCAG 1.4.11 asks 3:1 for graphics; these also carry text
 * contrast): dark blue 8.6:1, dark orange 5.2:1, dark green 6.5:1.
 */
export const SERIES_COLOURS = ['#1d4e89', '#b04a00', '#2d6a31'] as const;
const TEXT_COLOUR = '#1a1a1a';

const WIDTH = 640;
const LABEL_WIDTH = 200;
const VALUE_WIDTH = 90;
const BAR_HEIGHT = 18;
const BAR_GAP = 4;
const GROUP_GAP = 14;
const LEGEND_HEIGHT = 24;
const FONT_SIZE = 13;

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** The length of the longest bar; values scale linearly from zero, so equal values give equal bars. */
export const BAR_AREA = WIDTH - LABEL_WIDTH - VALUE_WIDTH;

/** Horizontal bars, one group per category, one bar per series; a legend when there is more than one series. */
export function renderBarChart(chart: BarChart): string {
  const max = Math.max(0, ...chart.series.flatMap((series) => series.values.map((value) => value ?? 0)));
  const legend = chart.series.length > 1 ? LEGEND_HEIGHT : 0;
  const groupHeight = chart.series.length * (BAR_HEIGHT + BAR_GAP) - BAR_GAP + GROUP_GAP;
  const height = legend + Math.max(1, chart.categories.length) * groupHeight;
  const titleId = `${chart.id}-title`;
  const descId = `${chart.id}-desc`;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-labelledby="${escapeXml(titleId)} ${escapeXml(descId)}"` +
      ` width="${WIDTH}" height="${height}" style="max-width:100%;height:auto" viewBox="0 0 ${WIDTH} ${height}" font-size="${FONT_SIZE}" fill="${TEXT_COLOUR}">`,
    `<title id="${escapeXml(titleId)}">${escapeXml(chart.title)}</title>`,
    `<desc id="${escapeXml(descId)}">${escapeXml(chart.description)}</desc>`,
  ];
  if (legend) {
    chart.series.forEach((series, index) => {
      const x = LABEL_WIDTH + index * 160;
      parts.push(
        `<rect x="${x}" y="4" width="14" height="14" fill="${colourOf(index)}"/>`,
        `<text x="${x + 20}" y="16">${escapeXml(series.name)}</text>`,
      );
    });
  }
  chart.categories.forEach((category, row) => {
    const top = legend + row * groupHeight;
    const middle = top + (groupHeight - GROUP_GAP) / 2;
    parts.push(
      `<text x="${LABEL_WIDTH - 8}" y="${round(middle + FONT_SIZE / 3)}" text-anchor="end">${escapeXml(clip(category))}</text>`,
    );
    chart.series.forEach((series, index) => {
      const value = series.values[row] ?? null;
      const y = top + index * (BAR_HEIGHT + BAR_GAP);
      const length = value === null || max === 0 ? 0 : (value / max) * BAR_AREA;
      if (length > 0) {
        parts.push(
          `<rect class="bar" x="${LABEL_WIDTH}" y="${y}" width="${round(length)}" height="${BAR_HEIGHT}" fill="${colourOf(index)}"/>`,
        );
      }
      const label = value === null ? chart.noValue : chart.format(value);
      parts.push(
        `<text x="${round(LABEL_WIDTH + length + 6)}" y="${round(y + BAR_HEIGHT / 2 + FONT_SIZE / 3)}">${escapeXml(label)}</text>`,
      );
    });
  });
  parts.push('</svg>');
  return parts.join('');
}

function colourOf(index: number): string {
  return SERIES_COLOURS[index % SERIES_COLOURS.length] ?? SERIES_COLOURS[0];
}

/** Long service titles are cut in the picture only; the table beside it has them whole. */
function clip(text: string): string {
  return text.length > 28 ? `${text.slice(0, 27)}…` : text;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
