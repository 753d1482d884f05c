import { Router, type Request, type Response } from 'express';
import type { DesignerTestRunService, TestRun } from '../engine/services/designer-testrun.service.js';
import { TEST_RUN_LIMITS } from '../engine/services/designer-testrun.service.js';
import type { TestFileSummary } from '../engine/designer/testrun.js';
import { translate } from '../engine/web/i18n.js';
import { NotFoundError, formInput, localeOf, pageOf } from '../engine/web/http.js';
import { createDesignerTrialRouter, type DesignerTrialRouteDeps } from './designer-trial.routes.js';
import { requireRole } from './staff-guard.js';

export interface DesignerTestRunRouteDeps extends DesignerTrialRouteDeps {
  testRuns: DesignerTestRunService;
}

/** Service slugs as the catalog has them; anything else is no service (404 before any lookup). */
const SLUG = /^[a-z0-9][a-z0-9-]{0,79}$/;

/**
 * The designer's test-run (ADR 0021): `/staff/designer/:slug/tests` lists the draft's `*.test.json` files and
 * the last run's results, `POST …/tests/run` runs them on the engine (303 back here, the page shows the run while
 * it goes), `POST …/tests/new` adds a test file from the skeleton and opens it in the file editor.
 */
export function createDesignerTestRunRouter({ testRuns, trials, views, forms }: DesignerTestRunRouteDeps): Router {
  const router = Router();
  // The Probelauf's pages: /staff/designer/:slug/trial/….
  router.use(createDesignerTrialRouter({ trials, views, forms }));
  const serviceDesigner = requireRole('service_designer');
  const t = (req: Request, key: string) => translate(localeOf(req), key);

  const slugOf = (req: Request): string => {
    const slug: unknown = req.params.slug;
    if (typeof slug !== 'string' || !SLUG.test(slug)) throw new NotFoundError();
    return slug;
  };

  async function testsPage(
    req: Request,
    res: Response,
    slug: string,
    state: { status?: number; notice?: string; alert?: string; newName?: string; newNameError?: string } = {},
  ) {
    const overview = await testRuns.overview(slug);
    if (!overview) throw new NotFoundError();
    const locale = localeOf(req);
    res.status(state.status ?? 200).send(
      views.render('admin/designer-testrun', pageOf(req, `${t(req, 'testrun.title')}: ${slug}`), {
        slug,
        files: overview.files.map((file) => fileView(req, slug, file)),
        run: overview.run && runView(req, overview.run),
        limits: translate(locale, 'testrun.limits')
          .replace('{cases}', String(TEST_RUN_LIMITS.maxTestCases))
          .replace('{minutes}', String(Math.round(TEST_RUN_LIMITS.runTimeMs / 60_000)))
          .replace('{seconds}', String(Math.round(TEST_RUN_LIMITS.instructionTimeoutMs / 1000))),
        notice: state.notice,
        alert: state.alert,
        newName: state.newName ?? '',
        newNameError: state.newNameError,
      }),
    );
  }

  const fileView = (req: Request, slug: string, file: TestFileSummary) => ({
    name: file.name,
    editUrl: `/staff/designer/${slug}/files/${encodeURIComponent(file.name)}`,
    testCases: file.testCases,
    count: t(req, file.testCases.length === 1 ? 'testrun.oneCase' : 'testrun.cases').replace(
      '{count}',
      String(file.testCases.length),
    ),
    problem: file.problem && t(req, `testrun.problem.${file.problem}`),
    detail: file.detail,
  });

  const runView = (req: Request, run: TestRun) => ({
    running: run.status === 'running',
    broken: run.status === 'broken',
    startedBy: run.startedBy,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    summary: t(req, 'testrun.summary')
      .replace('{passed}', String(run.passed))
      .replace('{failed}', String(run.failed))
      .replace('{notRun}', String(run.notRun)),
    allPassed: run.status === 'finished' && run.failed === 0 && run.notRun === 0 && run.passed > 0,
    results: run.results.map((result) => ({
      ...result,
      passed: result.outcome === 'passed',
      failed: result.outcome === 'failed',
      label: t(req, `testrun.outcome.${result.outcome}`),
      notRunReason: result.notRun && t(req, `testrun.notRun.${result.notRun}`),
      seconds: (result.durationMs / 1000).toLocaleString(localeOf(req), { maximumFractionDigits: 1 }),
    })),
  });

  router.get('/designer/:slug/tests', async (req, res) => {
    if (!serviceDesigner(req, res)) return;
    const slug = slugOf(req);
    // "Started" only while it runs: the same address, reloaded after the run, shows the result alone.
    const started = req.query.done === 'started' && (await testRuns.overview(slug))?.run?.status === 'running';
    await testsPage(req, res, slug, { notice: started ? t(req, 'testrun.started') : undefined });
  });

  router.post('/designer/:slug/tests/run', async (req, res) => {
    const member = serviceDesigner(req, res);
    if (!member) return;
    const slug = slugOf(req);
    const started = await testRuns.start(member, slug);
    if (started.ok) {
      res.redirect(303, `/staff/designer/${slug}/tests?done=started`);
      return;
    }
    if (started.reason === 'not-found') throw new NotFoundError();
    // 409: a run of this service (or the most the system runs at once) is going; nothing was started.
    const status = started.reason === 'no-tests' ? 422 : 409;
    await testsPage(req, res, slug, { status, alert: t(req, `testrun.refused.${started.reason}`) });
  });

  router.post('/designer/:slug/tests/new', async (req, res) => {
    const member = serviceDesigner(req, res);
    if (!member) return;
    const slug = slugOf(req);
    const input = formInput(req).name;
    const name = typeof input === 'string' ? input : '';
    const created = await testRuns.createTestFile(member, slug, name, localeOf(req));
    if (created.ok) {
      res.redirect(303, `/staff/designer/${slug}/files/${encodeURIComponent(created.name)}`);
      return;
    }
    if (created.error === 'not-found') throw new NotFoundError();
    await testsPage(req, res, slug, {
      status: 422,
      newName: name,
      newNameError: t(req, `testrun.newFile.${created.error}`),
    });
  });

  return router;
}
