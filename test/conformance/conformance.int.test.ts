import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { PROJECT_ROOT } from '../../engine/main/system.js';
import { runScenarioTests } from '../../engine/scenario/run-scenarios.js';

/** Every folder of the corpus, through `lotse test`'s runner on this run's PostgreSQL and Temporal. */
describe('the conformance corpus', () => {
  it('runs every test case of test/conformance and each passes', async () => {
    const lines: string[] = [];
    const summary = await runScenarioTests({
      paths: [path.join(PROJECT_ROOT, 'test/conformance')],
      databaseUrl: inject('databaseUrl'),
      temporalAddress: inject('temporalAddress'),
      env: {},
      timeoutMs: 5_000,
      root: PROJECT_ROOT,
      print: (line) => lines.push(line),
      warn: () => {},
    });
    expect(lines.filter((line) => !line.startsWith('✓'))).toEqual([expect.stringMatching(/passed/)]);
    expect(summary).toMatchObject({ failed: 0 });
    expect(summary.passed).toBeGreaterThan(0);
  });
});
