import { Router } from 'express';
import type { Dashboard, DashboardService } from '../engine/services/dashboard.service.js';
import { translate, type Locale } from '../engine/web/i18n.js';
import { localeOf, pageOf } from '../engine/web/http.js';
import { guardOf } from '../engine/web/sign-in.js';
import type { ViewRenderer } from '../engine/web/views.js';
import { renderBarChart, type ChartSeries } from './charts.js';

export interface DashboardRouteDeps {
  dashboard: DashboardService;
  views: ViewRenderer;
}

/** One figure of the page: a heading, what it counts, a chart and the same numbers as a table. */
interface Figure {
  id: string;
  heading: string;
  description: string;
  /** SVG from `renderBarChart`, which escapes every text it writes. */
  chart: string;
  columns: string[];
  /** First cell is the row's header. */
  rows: { header: string; cells: string[] }[];
}

const staffMember = guardOf({ kind: 'staff', loginPath: '/staff/login', returnBelow: '/staff/' });

/** `GET /staff/dashboard`: every staff member, over the cases they may see (DashboardService). */
export function createDashboardRouter({ dashboard, views }: DashboardRouteDeps): Router {
  const router = Router();

  router.get('/dashboard', async (req, res) => {
    const member = staffMember(req, res);
    if (!member) return;
    const locale = localeOf(req);
    const t = (key: string) => translate(locale, key);
    res.send(
      views.render('admin/dashboard', pageOf(req, t('dashboard.title')), {
        figures: figuresOf(await dashboard.forStaff(member), locale),
      }),
    );
  });

  return router;
}

/** The page's figures in the reader's language: pure, so what the page shows follows from the numbers alone. */
export function figuresOf(data: Dashboard, locale: Locale): Figure[] {
  const t = (key: string) => translate(locale, key);
  const integer = new Intl.NumberFormat(locale === 'en' ? 'en-GB' : 'de-DE', { maximumFractionDigits: 0 });
  const decimal = new Intl.NumberFormat(locale === 'en' ? 'en-GB' : 'de-DE', {
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  });
  const percent = new Intl.NumberFormat(locale === 'en' ? 'en-GB' : 'de-DE', {
    style: 'percent',
    maximumFractionDigits: 0,
  });
  const count = (value: number) => integer.format(value);
  /** Days from one day on, hours from one hour, minutes below: a median of minutes should not read "0.0 days". */
  const duration = (seconds: number) =>
    seconds >= 86_400
      ? t('dashboard.days').replace('{n}', decimal.format(seconds / 86_400))
      : seconds >= 3_600
        ? t('dashboard.hours').replace('{n}', decimal.format(seconds / 3_600))
        : t('dashboard.minutes').replace('{n}', integer.format(seconds / 60));
  const noValue = t('dashboard.noValue');
  const cell = <T>(value: T | null, format: (value: T) => string) => (value === null ? noValue : format(value));
  const serviceTitle = (row: { titleDe: string; titleEn: string }) => (locale === 'en' ? row.titleEn : row.titleDe);

  const figure = (
    id: string,
    key: string,
    categories: string[],
    series: ChartSeries[],
    format: (value: number) => string,
    table: Pick<Figure, 'columns' | 'rows'>,
  ): Figure => ({
    id,
    heading: t(`dashboard.${key}`),
    description: t(`dashboard.${key}Desc`),
    chart:
      categories.length === 0
        ? ''
        : renderBarChart({
            id: `chart-${id}`,
            title: t(`dashboard.${key}`),
            description: t(`dashboard.${key}Desc`),
            categories,
            series,
            format,
            noValue,
          }),
    ...table,
  });

  const { workload } = data;
  const days30 = t('dashboard.days30');
  const days90 = t('dashboard.days90');
  const workloadLabel = (row: NonNullable<Dashboard['workload']>[number]) =>
    `${row.groupName}: ${row.assignee === null ? t('dashboard.unassigned') : (row.assigneeName ?? row.assignee)}`;

  return [
    figure(
      'open-cases',
      'openCases',
      data.openCases.map(serviceTitle),
      [{ name: t('dashboard.open'), values: data.openCases.map((row) => row.open) }],
      count,
      {
        columns: [t('cases.service'), t('dashboard.open')],
        rows: data.openCases.map((row) => ({ header: serviceTitle(row), cells: [count(row.open)] })),
      },
    ),
    figure(
      'overdue-tasks',
      'overdueTasks',
      data.overdueTasks.map((row) => row.groupName),
      [{ name: t('dashboard.overdue'), values: data.overdueTasks.map((row) => row.overdue) }],
      count,
      {
        columns: [t('dashboard.group'), t('dashboard.overdue')],
        rows: data.overdueTasks.map((row) => ({ header: row.groupName, cells: [count(row.overdue)] })),
      },
    ),
    figure(
      'lead-time',
      'leadTime',
      data.times.map(serviceTitle),
      [
        { name: days30, values: data.times.map((row) => row.leadSeconds30) },
        { name: days90, values: data.times.map((row) => row.leadSeconds90) },
      ],
      duration,
      {
        columns: [t('cases.service'), days30, t('dashboard.completed30'), days90, t('dashboard.completed90')],
        rows: data.times.map((row) => ({
          header: serviceTitle(row),
          cells: [
            cell(row.leadSeconds30, duration),
            count(row.completed30),
            cell(row.leadSeconds90, duration),
            count(row.completed90),
          ],
        })),
      },
    ),
    figure(
      'processing-time',
      'processingTime',
      data.times.map(serviceTitle),
      [
        { name: days30, values: data.times.map((row) => row.processingSeconds30) },
        { name: days90, values: data.times.map((row) => row.processingSeconds90) },
      ],
      duration,
      {
        columns: [t('cases.service'), days30, days90],
        rows: data.times.map((row) => ({
          header: serviceTitle(row),
          cells: [cell(row.processingSeconds30, duration), cell(row.processingSeconds90, duration)],
        })),
      },
    ),
    figure(
      'rueckfrage-rate',
      'rueckfrage',
      data.rueckfrage.map(serviceTitle),
      [{ name: t('dashboard.rate'), values: data.rueckfrage.map((row) => row.rate) }],
      (value) => percent.format(value),
      {
        columns: [t('cases.service'), t('dashboard.cases'), t('dashboard.withRueckfrage'), t('dashboard.rate')],
        rows: data.rueckfrage.map((row) => ({
          header: serviceTitle(row),
          cells: [count(row.cases), count(row.withRueckfrage), cell(row.rate, (rate) => percent.format(rate))],
        })),
      },
    ),
    figure(
      'cases-per-week',
      'casesPerWeek',
      data.casesPerWeek.map((row) => row.isoWeek),
      [{ name: t('dashboard.cases'), values: data.casesPerWeek.map((row) => row.cases) }],
      count,
      {
        columns: [t('dashboard.week'), t('dashboard.weekStart'), t('dashboard.cases')],
        rows: data.casesPerWeek.map((row) => ({ header: row.isoWeek, cells: [row.monday, count(row.cases)] })),
      },
    ),
    // Team leads and administrators only (the service leaves it out for everyone else).
    ...(workload === undefined
      ? []
      : [
          figure(
            'workload',
            'workload',
            workload.map(workloadLabel),
            [{ name: t('dashboard.open'), values: workload.map((row) => row.open) }],
            count,
            {
              columns: [t('dashboard.group'), t('dashboard.person'), t('dashboard.open')],
              rows: workload.map((row) => ({
                header: row.groupName,
                cells: [
                  row.assignee === null ? t('dashboard.unassigned') : (row.assigneeName ?? row.assignee),
                  count(row.open),
                ],
              })),
            },
          ),
        ]),
  ];
}
