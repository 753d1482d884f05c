import { describe, expect, it } from 'vitest';
import { BAR_AREA, renderBarChart, type BarChart } from './charts.js';

const chart = (overrides: Partial<BarChart> = {}): BarChart => ({
  id: 'open-cases',
  title: 'Offene Vorgänge',
  description: 'Offene Vorgänge je Leistung',
  categories: ['A', 'B'],
  series: [{ name: 'Vorgänge', values: [4, 2] }],
  format: (value) => String(value),
  noValue: '–',
  ...overrides,
});

const widths = (svg: string) =>
  [...svg.matchAll(/<rect class="bar" x="\d+" y="\d+" width="([\d.]+)"/g)].map((m) => Number(m[1]));

describe('renderBarChart', () => {
  it('scales bars linearly to the largest value: the largest fills the bar area, half the value half the bar', () => {
    expect(widths(renderBarChart(chart()))).toEqual([BAR_AREA, BAR_AREA / 2]);
  });

  it('draws no bar for zero or a missing value, and writes the "no value" text for the missing one', () => {
    const svg = renderBarChart(chart({ series: [{ name: 'x', values: [0, null] }] }));
    expect(widths(svg)).toEqual([]);
    expect(svg).toContain('>0</text>');
    expect(svg).toContain('>–</text>');
  });

  it('is an image named by its title and description', () => {
    const svg = renderBarChart(chart());
    expect(svg).toMatch(/^<svg [^>]*role="img" aria-labelledby="open-cases-title open-cases-desc"/);
    expect(svg).toContain('<title id="open-cases-title">Offene Vorgänge</title>');
    expect(svg).toContain('<desc id="open-cases-desc">Offene Vorgänge je Leistung</desc>');
  });

  it('escapes every text it writes: labels, series names, title, description, formatted values', () => {
    const hostile = '<script>alert("x")</script>&\'';
    const svg = renderBarChart(
      chart({
        id: 'a"b',
        title: hostile,
        description: hostile,
        categories: [hostile.slice(0, 20)],
        series: [
          { name: hostile, values: [1] },
          { name: 'b', values: [2] },
        ],
        format: () => hostile,
      }),
    );
    expect(svg).not.toContain('<script');
    expect(svg).not.toContain('a"b');
    expect(svg).toContain('&#60;script&#62;');
  });

  it('draws one bar per series in each category and a legend with the series names when there are several', () => {
    const svg = renderBarChart(
      chart({
        series: [
          { name: '30 Tage', values: [1, 2] },
          { name: '90 Tage', values: [3, 4] },
        ],
      }),
    );
    expect(widths(svg)).toHaveLength(4);
    expect(svg).toContain('>30 Tage</text>');
    expect(svg).toContain('>90 Tage</text>');
  });
});
