/**
 * The designer's test-run (issue 10, ADR 0021): a draft's `*.test.json` scenario files run as `lotse test` runs
 * them, on the running system's Temporal and PostgreSQL, as unlisted scenario services whose cases are deleted
 * after each test case. One run per service at a time, bounded in test cases and time; the last run of each
 * service is kept in memory for its result page.
 */
import {
  newTestFileName,
  testFileSkeleton,
  testFilesOf,
  type NewTestFileName,
  type TestFileSummary,
} from '../designer/testrun.js';
import type { StaffSession } from './auth.service.js';

/** A service as a map of files: file name → UTF-8 text (the designer contract). */
export type ServiceFiles = Record<string, string>;

export interface TestRunLimits {
  /** Test cases run per run; the rest are listed as not run. */
  maxTestCases: number;
  /** After this long no further test case starts; those left are listed as not run. */
  runTimeMs: number;
  /** How long one instruction waits for its task, job or assertion (`lotse test --timeout`). */
  instructionTimeoutMs: number;
}

export const TEST_RUN_LIMITS: TestRunLimits = { maxTestCases: 25, runTimeMs: 120_000, instructionTimeoutMs: 10_000 };

/** Runs at once over all services: each holds a Temporal client's attention and a few database connections. */
const MAX_PARALLEL_RUNS = 2;

export interface TestCaseOutcome {
  /** The test file's name in the draft. */
  file: string;
  name: string;
  outcome: 'passed' | 'failed' | 'not-run';
  /** The runner's message: `instruction #3 ASSERT_ELEMENT_INSTANCES: Task_X expected IS_COMPLETED but is active`. */
  failure?: string;
  /** Why a test case did not run: the limit of test cases or of time was reached. */
  notRun?: 'limit' | 'time';
  durationMs: number;
}

/** Runs a draft's test files against the engine (engine/scenario/run-service-files.ts, composed in engine/main). */
export type RunScenarioFiles = (files: ServiceFiles, limits: TestRunLimits) => Promise<TestCaseOutcome[]>;

/** The drafts as the test-run needs them (the designer service, engine/services/designer.service.ts). */
export interface DraftFiles {
  /** The draft's files; undefined when the service has no draft. */
  files(slug: string): Promise<ServiceFiles | undefined>;
  /** Adds a file to the draft; false when the draft is gone or refuses the file. */
  saveFile(member: StaffSession, slug: string, name: string, content: string): Promise<boolean>;
}

export interface TestRun {
  startedBy: string;
  startedAt: Date;
  finishedAt?: Date;
  status: 'running' | 'finished' | 'broken';
  results: TestCaseOutcome[];
  passed: number;
  failed: number;
  notRun: number;
}

export type StartTestRun = { ok: true } | { ok: false; reason: 'not-found' | 'no-tests' | 'running' | 'busy' };

export type CreateTestFile = NewTestFileName | { ok: false; error: 'not-found' | 'refused' };

export interface DesignerTestRunService {
  /** The draft's test files and the service's last run; undefined when the service has no draft. */
  overview(slug: string): Promise<{ files: TestFileSummary[]; run?: TestRun } | undefined>;
  /** Starts running the draft's test files as they are now; the result page shows the run while it goes. */
  start(member: StaffSession, slug: string): Promise<StartTestRun>;
  /** The service's last run once it has ended (waits for a running one). */
  settled(slug: string): Promise<TestRun | undefined>;
  /** Adds a test file from the skeleton (one test case starting at the draft's start event). */
  createTestFile(member: StaffSession, slug: string, name: string, locale: 'de' | 'en'): Promise<CreateTestFile>;
}

export function createDesignerTestRunService(deps: {
  drafts: DraftFiles;
  run: RunScenarioFiles;
  limits?: TestRunLimits;
  /** Told when a run breaks (the engine did not answer); the page says so without the details. */
  onError?: (error: unknown, slug: string) => void;
  clock?: () => Date;
}): DesignerTestRunService {
  const limits = deps.limits ?? TEST_RUN_LIMITS;
  const clock = deps.clock ?? (() => new Date());
  // In memory, per process: a result is re-created by running again, and a restart ends every run anyway.
  const lastRuns = new Map<string, TestRun>();
  const running = new Map<string, Promise<void>>();

  return {
    async overview(slug) {
      const files = await deps.drafts.files(slug);
      if (files === undefined) return undefined;
      const run = lastRuns.get(slug);
      return { files: testFilesOf(files), ...(run && { run }) };
    },

    async start(member, slug) {
      if (running.has(slug)) return { ok: false, reason: 'running' };
      if (running.size >= MAX_PARALLEL_RUNS) return { ok: false, reason: 'busy' };
      const files = await deps.drafts.files(slug);
      if (files === undefined) return { ok: false, reason: 'not-found' };
      if (testFilesOf(files).length === 0) return { ok: false, reason: 'no-tests' };
      // Checked again after the await: a second click (or another service's run) may have started meanwhile.
      if (running.has(slug)) return { ok: false, reason: 'running' };
      if (running.size >= MAX_PARALLEL_RUNS) return { ok: false, reason: 'busy' };
      const run: TestRun = {
        startedBy: member.name,
        startedAt: clock(),
        status: 'running',
        results: [],
        passed: 0,
        failed: 0,
        notRun: 0,
      };
      lastRuns.set(slug, run);
      const done = deps
        .run(files, limits)
        .then(
          (results) => {
            run.results = results;
            run.passed = results.filter((result) => result.outcome === 'passed').length;
            run.failed = results.filter((result) => result.outcome === 'failed').length;
            run.notRun = results.filter((result) => result.outcome === 'not-run').length;
            run.status = 'finished';
          },
          (error: unknown) => {
            run.status = 'broken';
            deps.onError?.(error, slug);
          },
        )
        .finally(() => {
          run.finishedAt = clock();
          running.delete(slug);
        });
      running.set(slug, done);
      return { ok: true };
    },

    async settled(slug) {
      await running.get(slug);
      return lastRuns.get(slug);
    },

    async createTestFile(member, slug, input, locale) {
      const files = await deps.drafts.files(slug);
      if (files === undefined) return { ok: false, error: 'not-found' };
      const name = newTestFileName(input, files);
      if (!name.ok) return name;
      const saved = await deps.drafts.saveFile(member, slug, name.name, testFileSkeleton(files, locale));
      return saved ? name : { ok: false, error: 'refused' };
    },
  };
}
