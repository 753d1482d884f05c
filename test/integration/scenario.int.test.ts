import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { PROJECT_ROOT } from '../../engine/main/system.js';
import { runScenarioTests } from '../../engine/scenario/run-scenarios.js';

const catalog = path.join(PROJECT_ROOT, 'workflows/catalog');
const fixtures = path.join(PROJECT_ROOT, 'engine/scenario/fixtures');

/** `lotse test` against this run's PostgreSQL and Temporal dev server, collecting what it prints. */
async function lotseTest(paths: string[], timeoutMs = 3_000) {
  const lines: string[] = [];
  const warnings: string[] = [];
  const summary = await runScenarioTests({
    paths,
    databaseUrl: inject('databaseUrl'),
    temporalAddress: inject('temporalAddress'),
    env: {},
    timeoutMs,
    root: PROJECT_ROOT,
    print: (line) => lines.push(line),
    warn: (line) => warnings.push(line),
  });
  return { ...summary, lines, warnings };
}

describe('lotse test', () => {
  it('runs the fixtures against the engine: each passes or fails as intended', async () => {
    // Given the fixtures (some written to fail)
    // When they run against the real engine
    const run = await lotseTest([fixtures]);

    // Then every test case has its line, failures name the first failing instruction and why
    expect(run.lines).toEqual([
      '✓ Fixture: an SME is eligible without review (DMN)',
      '✓ Fixture: a large company is reviewed (DMN, form)',
      '✓ Elements: an inclusive gateway forks to every true condition and joins them',
      '✓ Elements: an inclusive gateway takes its default flow when no condition holds (manual task)',
      '✓ Elements: an event-based gateway takes the message when it comes first',
      '✓ Elements: an event-based gateway takes the timer when no message comes',
      '✓ Elements: multi-instance tasks, parallel and sequential, collect their output',
      '✓ Elements: a call activity runs a process of the same folder and passes variables both ways',
      '✓ Elements: none and link throw, escalation and error end caught by boundary events, plain task, terminate end',
      '✓ Elements: a non-interrupting escalation boundary event lets the sub-process go on',
      '✓ Elements: non-interrupting timer and message event sub-processes leave the task active',
      '✓ Elements: an interrupting message event sub-process cancels the task',
      '✓ Elements: an interrupting timer event sub-process cancels the task',
      '✓ Elements: an error end event starts the error event sub-process',
      '✓ Elements: a receive task waits for its message; mappings keep task variables local',
      '✓ Elements: message boundary events, non-interrupting then interrupting',
      '✗ Fixture: an assertion that does not hold fails after the timeout — ' +
        'instruction #2 ASSERT_ELEMENT_INSTANCES: Task_Check expected IS_COMPLETED but is active',
      '✗ Fixture: a task that never comes fails the action waiting for it — ' +
        'instruction #2 COMPLETE_JOB: no waiting job with jobType "register" (no job is waiting)',
      '✓ Fixture: complete application is registered',
      '✓ Fixture: missing documents arrive by message',
      '✓ Fixture: a message published before the case waits is buffered',
      '✓ Fixture: CORRELATE_MESSAGE waits for the subscription',
      '✓ Fixture: the deadline passes (INCREASE_TIME)',
      '✓ Fixture: the deadline has not passed yet',
      '✓ Fixture: SET_TIME moves the clock to a date',
      '✓ Fixture: the register rejects with a BPMN error',
      '✓ Fixture: a mocked job worker throws a BPMN error',
      '✓ Fixture: a failed job becomes an incident, resolved by a retry',
      '✗ Fixture: an unknown instruction type fails its test case — ' +
        'instruction #2 LAUNCH_ROCKET: unknown instruction type "LAUNCH_ROCKET"',
      '✗ Fixture: a CPT instruction Lotse cannot run fails its test case — ' +
        'instruction #1 EVALUATE_CONDITIONAL_START_EVENT: not supported by lotse test: ' +
        'conditional start events are not in the BPMN subset Lotse runs',
      '✗ Fixture: a model with an unsupported element fails with the compile error — ' +
        'instruction #1 CREATE_PROCESS_INSTANCE: engine/scenario/fixtures/unsupported-element/complex-gateway.bpmn ' +
        'does not compile: Gateway_Complex (bpmn:ComplexGateway): complex gateways are not supported; use an inclusive gateway',
      '26 passed, 5 failed',
    ]);
    expect(run.exitCode).toBe(1);
    expect(run.warnings).toEqual([]);
    console.log(run.results.map((result) => `${String(result.durationMs).padStart(6)} ms  ${result.name}`).join('\n'));
  }, 180_000);

  it('passes every scenario of every shipped service', async () => {
    const run = await lotseTest([catalog], 10_000);
    const failed = run.lines.filter((line) => line.startsWith('✗'));
    expect(failed).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.passed).toBeGreaterThanOrEqual(2);
    console.log(run.results.map((result) => `${String(result.durationMs).padStart(6)} ms  ${result.name}`).join('\n'));
  }, 300_000);

  it('passes with exit code 0 when every test case passes', async () => {
    const run = await lotseTest([path.join(catalog, 'general-inquiry/general-inquiry.test.json')]);
    expect(run.lines.at(-1)).toBe('3 passed, 0 failed');
    expect(run.exitCode).toBe(0);
  }, 120_000);

  it('fails when it finds no test cases', async () => {
    const run = await lotseTest([path.join(fixtures, 'unsupported-element/complex-gateway.bpmn')]);
    expect(run.exitCode).toBe(1);
    expect(run.lines).toEqual(['0 passed, 0 failed']);
  });
});
