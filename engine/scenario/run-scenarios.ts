/**
 * `lotse test` as a function: find the files, start the engine, run every test case, print one line each and
 * the summary. The CLI and the integration test both call this.
 */
import path from 'node:path';
import { mkdir, writeFile } from 'node:fs/promises';
import type { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { createServiceRepository } from '../repositories/service.repository.js';
import { createSignalRepository } from '../repositories/signal.repository.js';
import { createSignalService } from '../services/signal.service.js';
import { formatResult, formatSummary } from './report.js';
import { findScenarioFiles } from './scenario-files.js';
import { createScenarioServices } from './scenario-services.js';
import { startScenarioSystem, type ScenarioSystemOptions } from './scenario-system.js';
import { createScenarioDriver } from './scenario.driver.js';
import { createScenarioReadModel } from './scenario-read-model.js';
import { createScenarioRunner, DEFAULT_RUNNER_OPTIONS, type TestCaseResult } from './scenario.runner.js';

export interface ScenarioRunOptions extends ScenarioSystemOptions {
  /** Folders (searched recursively) and test files. */
  paths: string[];
  /** How long an instruction waits (default 10 s, as CPT). */
  timeoutMs?: number;
  /** One line per test case and the summary. */
  print?: (line: string) => void;
  /** Warnings: files that could not be read, where the engine runs. */
  warn?: (line: string) => void;
  /** Paths in messages are relative to this folder. */
  root?: string;
  /** Write the Temporal history of every case into this folder (fixtures for the replay test). */
  recordHistoriesDir?: string;
}

export interface ScenarioRunSummary {
  results: TestCaseResult[];
  passed: number;
  failed: number;
  exitCode: 0 | 1;
}

export async function runScenarioTests(options: ScenarioRunOptions): Promise<ScenarioRunSummary> {
  const print = options.print ?? ((line: string) => console.log(line));
  const warn = options.warn ?? ((line: string) => console.error(line));
  const root = options.root ?? process.cwd();
  const relative = (file: string) => path.relative(root, file) || file;

  const files = await findScenarioFiles(options.paths);
  for (const problem of files.problems) warn(`! ${problem}`);
  for (const warning of files.warnings) warn(`! warning: ${warning}`);
  const testCaseCount = files.testFiles.reduce(
    (count, testFile) => count + (testFile.parsed.ok ? testFile.parsed.testCases.length : 1),
    0,
  );
  if (testCaseCount === 0) {
    warn(`No CPT test cases found in ${options.paths.join(', ') || '(no paths)'}`);
    print(formatSummary(0, 0));
    return { results: [], passed: 0, failed: 0, exitCode: 1 };
  }

  const results: TestCaseResult[] = [];
  const report = (result: TestCaseResult) => {
    results.push(result);
    print(formatResult(result));
  };

  const { system, stop } = await startScenarioSystem(options);
  try {
    const driver = createScenarioDriver({
      temporal: system.temporalClient,
      readModel: createScenarioReadModel(system.db),
      services: createServiceRepository(system.db),
      caseStarts: system.services.caseStarts,
      messages: system.services.messages,
      signals: createSignalService({ signals: createSignalRepository(system.db), temporal: system.temporalClient }),
    });
    const runner = createScenarioRunner({
      driver,
      services: createScenarioServices(files, (service) => driver.publish(service), root),
      options: { ...DEFAULT_RUNNER_OPTIONS, timeoutMs: options.timeoutMs ?? DEFAULT_RUNNER_OPTIONS.timeoutMs },
      warn,
      ...(options.recordHistoriesDir !== undefined && {
        onCasesDone: historyRecorder(system.temporalClient, options.recordHistoriesDir),
      }),
    });
    for (const { file, parsed } of files.testFiles) {
      if (!parsed.ok) {
        report({ file, name: relative(file), passed: false, failure: parsed.message, durationMs: 0 });
        continue;
      }
      for (const testCase of parsed.testCases) report(await runner.run(file, testCase));
    }
  } finally {
    await stop();
  }

  const passed = results.filter((result) => result.passed).length;
  const failed = results.length - passed;
  print(formatSummary(passed, failed));
  return { results, passed, failed, exitCode: failed > 0 ? 1 : 0 };
}

/** Saves each case's workflow history as `<test case name>[-n].json`, for the replay test. */
function historyRecorder(temporal: Client, dir: string) {
  return async (testCase: { name: string }, caseIds: string[]) => {
    await mkdir(dir, { recursive: true });
    const base = testCase.name
      .toLowerCase()
      .replace(/ß/g, 'ss')
      .normalize('NFKD')
      .replace(/\p{M}/gu, '')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '');
    for (const [index, caseId] of caseIds.entries()) {
      const history = await temporal.workflow.getHandle(caseId).fetchHistory();
      const name = caseIds.length > 1 ? `${base}-${index + 1}` : base;
      await writeFile(path.join(dir, `${name}.json`), historyToJSON(history));
    }
  };
}
