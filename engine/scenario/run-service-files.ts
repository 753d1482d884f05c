/**
 * `lotse test` for a designer's draft (the test-run page, ADR 0021): the draft's `*.test.json` test cases run against
 * the running system — its Temporal client and worker, its PostgreSQL — with the same runner, driver and scenario
 * services as `lotse test`. Scenario services are unlisted (`scenario-<process id>`); each test case's cases are
 * terminated by the runner and then deleted (read model and Temporal history), so none stays in an inbox or a list.
 */
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { describeProblem, FormSchemaError, parseForm, type FormSchema, type ParsedForm } from '../../forms/schema.js';
import type { Database } from '../db/database.js';
import { isTestFileName } from '../designer/testrun.js';
import { createCaseErasureRepository } from '../repositories/case-erasure.repository.js';
import { createCaseRepository } from '../repositories/case.repository.js';
import { createServiceRepository } from '../repositories/service.repository.js';
import { createSignalRepository } from '../repositories/signal.repository.js';
import { createSignalService } from '../services/signal.service.js';
import type { CaseStartService } from '../services/case-start.service.js';
import type {
  RunScenarioFiles,
  ServiceFiles,
  TestCaseOutcome,
  TestRunLimits,
} from '../services/designer-testrun.service.js';
import type { MessageService } from '../services/message.service.js';
import { historyEraser } from '../temporal/case-history.js';
import { executableProcessIds, type ScenarioFiles, type SourceFile, type TestFile } from './scenario-files.js';
import { createScenarioReadModel } from './scenario-read-model.js';
import { createScenarioServices } from './scenario-services.js';
import { createScenarioDriver } from './scenario.driver.js';
import { createScenarioRunner, DEFAULT_RUNNER_OPTIONS } from './scenario.runner.js';
import { parseTestCaseFile } from './test-case-file.js';

/** The folder a draft's files are placed in for the runner, which names files by path: messages show plain names. */
const DRAFT_FOLDER = path.resolve('/lotse-draft');

/** The service slug a deleted scenario case is recorded under (case_deletions keeps number and slug). */
const DELETION_SLUG = 'designer-test-run';

export interface ServiceFilesRunnerDeps {
  db: Database;
  temporal: Client;
  caseStarts: CaseStartService;
  messages: MessageService;
  /** Clean-up that failed (the test case's result stands). */
  warn?: (line: string) => void;
  clock?: () => number;
}

/**
 * Deletes a scenario case that has ended (terminated): its rows through the retention's erasure, then its Temporal
 * history — no row, no open task, no history stays behind. The test-run and the Probelauf both use it.
 */
export function scenarioCaseEraser(db: Database, temporal: Client, now: () => number = () => Date.now()) {
  const cases = createCaseRepository(db);
  const erasure = createCaseErasureRepository(db);
  const eraseHistory = historyEraser(temporal, temporal.options.namespace);
  return async (caseId: string): Promise<void> => {
    const row = await cases.findById(caseId);
    if (row) {
      const at = new Date(now());
      await erasure.erase(
        {
          id: row.id,
          number: row.number,
          serviceSlug: DELETION_SLUG,
          serviceVersion: 0,
          createdAt: row.createdAt,
          completedAt: at,
          retentionDays: 0,
        },
        at,
      );
    }
    await eraseHistory(caseId);
  };
}

export function createServiceFilesRunner(deps: ServiceFilesRunnerDeps): RunScenarioFiles {
  const warn = deps.warn ?? (() => {});
  const now = deps.clock ?? (() => Date.now());
  const erase = scenarioCaseEraser(deps.db, deps.temporal, now);

  return async (files: ServiceFiles, limits: TestRunLimits): Promise<TestCaseOutcome[]> => {
    const scenarioFiles = scenarioFilesFromMap(files);
    const driver = createScenarioDriver({
      temporal: deps.temporal,
      readModel: createScenarioReadModel(deps.db),
      services: createServiceRepository(deps.db),
      caseStarts: deps.caseStarts,
      messages: deps.messages,
      signals: createSignalService({ signals: createSignalRepository(deps.db), temporal: deps.temporal }),
    });
    let created: string[] = [];
    const runner = createScenarioRunner({
      driver,
      services: createScenarioServices(scenarioFiles, (service) => driver.publish(service), DRAFT_FOLDER),
      options: { ...DEFAULT_RUNNER_OPTIONS, timeoutMs: limits.instructionTimeoutMs },
      warn,
      onCasesDone: async (_testCase, caseIds) => {
        created = caseIds;
      },
    });

    const deadline = now() + limits.runTimeMs;
    const results: TestCaseOutcome[] = [];
    let started = 0;
    for (const { file, parsed } of scenarioFiles.testFiles) {
      const name = path.basename(file);
      if (!parsed.ok) {
        results.push({ file: name, name, outcome: 'failed', failure: parsed.message, durationMs: 0 });
        continue;
      }
      for (const testCase of parsed.testCases) {
        const notRun = started >= limits.maxTestCases ? 'limit' : now() >= deadline ? 'time' : undefined;
        if (notRun) {
          results.push({ file: name, name: testCase.name, outcome: 'not-run', notRun, durationMs: 0 });
          continue;
        }
        started++;
        created = [];
        const result = await runner.run(file, testCase);
        for (const caseId of created) {
          await erase(caseId).catch((error: unknown) => {
            warn(`${testCase.name}: deleting scenario case ${caseId} failed: ${String(error)}`);
          });
        }
        results.push({
          file: name,
          name: result.name,
          outcome: result.passed ? 'passed' : 'failed',
          ...(result.failure !== undefined && { failure: result.failure }),
          durationMs: result.durationMs,
        });
      }
    }
    return results;
  };
}

/**
 * What `findScenarioFiles` reads from a folder, from a map of files: BPMN, DMN, forms and the `*.test.json` test
 * files. A form or test file that does not parse is named, as in `lotse test`, rather than thrown.
 */
export function scenarioFilesFromMap(files: ServiceFiles): ScenarioFiles {
  const bpmn: SourceFile[] = [];
  const dmn: SourceFile[] = [];
  const forms = new Map<string, { file: string; form: FormSchema }>();
  const testFiles: TestFile[] = [];
  const problems: string[] = [];
  const warnings: string[] = [];
  for (const name of Object.keys(files).sort()) {
    const file = path.join(DRAFT_FOLDER, name);
    const text = files[name] ?? '';
    const extension = path.extname(name).toLowerCase();
    if (extension === '.bpmn') bpmn.push({ file, xml: text });
    else if (extension === '.dmn') dmn.push({ file, xml: text });
    else if (extension === '.form') {
      const parsed = readForm(name, text);
      if (typeof parsed === 'string') problems.push(parsed);
      else {
        const { form } = parsed;
        warnings.push(...parsed.warnings.map((warning) => `${name}: ${describeProblem(form.id, warning)}`));
        if (forms.has(form.id)) problems.push(`${name}: form id "${form.id}" is also used by another form`);
        else forms.set(form.id, { file, form });
      }
    } else if (isTestFileName(name)) {
      testFiles.push({ file, parsed: readTestFile(text) });
    }
  }
  const processes = bpmn.flatMap(({ file, xml }) =>
    executableProcessIds(xml).map((processId) => ({ file, xml, processId })),
  );
  return { testFiles, bpmn, processes, dmn, forms, problems, warnings };
}

function readForm(name: string, text: string): ParsedForm | string {
  try {
    return parseForm(JSON.parse(text));
  } catch (error) {
    if (error instanceof SyntaxError || error instanceof FormSchemaError) return `${name}: ${error.message}`;
    throw error;
  }
}

function readTestFile(text: string): TestFile['parsed'] {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  return parseTestCaseFile(document);
}
