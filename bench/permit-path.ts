/**
 * The permit-guidance paths end to end on a real Temporal dev server and PostgreSQL (started for the
 * run): every scenario of workflows/catalog/permit-guidance through the real case workflow, jobs
 * answered by the scenario. Prints the wall time of each path and the engine's share of it: the
 * interpreter's steps are measured in the bench's engine-micro part.
 */
import path from 'node:path';
import { PROJECT_ROOT } from '../engine/main/system.js';
import { runScenarioTests } from '../engine/scenario/run-scenarios.js';

export async function runPermitPaths(): Promise<string> {
  const file = path.join(PROJECT_ROOT, 'workflows/catalog/permit-guidance/permit-guidance.test.json');
  const summary = await runScenarioTests({ paths: [file], root: PROJECT_ROOT, print: () => {}, warn: () => {} });
  if (summary.exitCode !== 0) throw new Error('permit-guidance scenarios failed');
  const rows = summary.results.map((result) => `| ${result.name} | ${result.durationMs} |`);
  return ['| permit-guidance path (scenario) | wall ms |', '| --- | ---: |', ...rows].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await runPermitPaths());
}
