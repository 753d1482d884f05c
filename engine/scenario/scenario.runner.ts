/**
 * Runs CPT test cases against the engine, one instruction at a time, each test case on fresh cases.
 * Actions wait, as in CPT, until what they act on exists (a task, a job, an incident); assertions wait until they
 * hold. Both give up after the timeout with the last reason.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ScenarioJobInput } from '../case/contract.js';
import type { ProcessModel } from '../model/process-model.js';
import { checkAssertion, waitsUntilTrue, type AssertionInstruction } from './assertion.js';
import { parseDuration } from './duration.js';
import { evaluateExpression, isExpression, stripExpression } from '../feel/feel.js';
import { rejectionMessage, type ScenarioDriver } from './scenario.driver.js';
import type { ResolvedProcess } from './scenario-services.js';
import {
  bpmnIdOf,
  describeSelector,
  findJob,
  findOpenIncident,
  findOpenUserTask,
  type ScenarioWorld,
} from './selector.js';
import type { Instruction, InstructionOf, TestCase } from './test-case-file.js';

export interface RunnerOptions {
  /** How long an instruction waits for its task, job or assertion (CPT's default: 10 s). */
  timeoutMs: number;
  pollMs: number;
}

export const DEFAULT_RUNNER_OPTIONS: RunnerOptions = { timeoutMs: 10_000, pollMs: 50 };

/** Zeebe clients publish with a time to live of one hour unless told otherwise. */
const DEFAULT_MESSAGE_TTL_MS = 60 * 60 * 1000;

export interface TestCaseResult {
  file: string;
  name: string;
  passed: boolean;
  /** `instruction #3 ASSERT_ELEMENT_INSTANCES: Task_X expected IS_COMPLETED but is active` */
  failure?: string;
  durationMs: number;
}

type Found<T> = { ok: true; value: T } | { ok: false; reason: string; final?: boolean };
type Outcome = Found<undefined>;

const OK: Outcome = { ok: true, value: undefined };

interface Services {
  resolve(processId: string, testFile: string): Promise<ResolvedProcess>;
}

export function createScenarioRunner(deps: {
  driver: ScenarioDriver;
  services: Services;
  options?: RunnerOptions;
  /** Told when cleaning up after a test case fails; the test case's result stands. */
  warn?: (line: string) => void;
  /** Called with the test case's case ids after its last instruction, before they are cleaned up. */
  onCasesDone?: (testCase: TestCase, caseIds: string[]) => Promise<void>;
}) {
  const { driver, services } = deps;
  const options = deps.options ?? DEFAULT_RUNNER_OPTIONS;
  const warn = deps.warn ?? (() => {});

  return {
    async run(file: string, testCase: TestCase): Promise<TestCaseResult> {
      const started = performance.now();
      const result = (failure?: string): TestCaseResult => ({
        file,
        name: testCase.name,
        passed: failure === undefined,
        ...(failure !== undefined && { failure }),
        durationMs: Math.round(performance.now() - started),
      });
      if (testCase.invalid) {
        const { position, type, message } = testCase.invalid;
        return result(position === 0 ? message : `instruction #${position} ${type}: ${message}`);
      }
      const run = new TestCaseRun(file, driver, services, options);
      try {
        for (const [index, instruction] of testCase.instructions.entries()) {
          const outcome = await run
            .execute(instruction)
            .catch((error: unknown): Outcome => ({ ok: false, reason: rejectionMessage(error) }));
          if (!outcome.ok) return result(`instruction #${index + 1} ${instruction.type}: ${outcome.reason}`);
        }
        return result();
      } finally {
        await deps.onCasesDone?.(testCase, run.caseIds()).catch((error: unknown) => {
          warn(`! ${testCase.name}: recording its cases failed: ${rejectionMessage(error)}`);
        });
        await run.finish().catch((error: unknown) => {
          warn(`! ${testCase.name}: cleaning up its cases failed: ${rejectionMessage(error)}`);
        });
      }
    },
  };
}

/** The state of one test case: its cases, its clock, its messages and mocked job workers. */
class TestCaseRun {
  private readonly cases: { caseId: string; processId: string; model: ProcessModel }[] = [];
  private readonly messageKeys: string[] = [];
  private readonly mocks = new Map<string, (tokenId: string) => ScenarioJobInput>();
  private readonly mockedTokens = new Set<string>();
  /** Where INCREASE_TIME has moved the clock; cases started later start there. */
  private clockOffsetMs = 0;
  /** Message ids are unique per test case run: a later run publishing the same id is not a duplicate. */
  private readonly runId = randomUUID();

  constructor(
    private readonly file: string,
    private readonly driver: ScenarioDriver,
    private readonly services: Services,
    private readonly options: RunnerOptions,
  ) {}

  async execute(instruction: Instruction): Promise<Outcome> {
    switch (instruction.type) {
      case 'CREATE_PROCESS_INSTANCE':
        return this.createProcessInstance(instruction);
      case 'COMPLETE_USER_TASK':
        return this.completeUserTask(instruction);
      case 'COMPLETE_JOB':
        return this.answerJob(instruction.jobSelector, (tokenId) => ({
          tokenId,
          outcome: 'complete',
          variables: instruction.variables ?? {},
        }));
      case 'THROW_BPMN_ERROR_FROM_JOB':
        return this.answerJob(instruction.jobSelector, (tokenId) => ({
          tokenId,
          outcome: 'throwError',
          errorCode: instruction.errorCode,
          ...(instruction.errorMessage !== undefined && { message: instruction.errorMessage }),
          ...(instruction.variables !== undefined && { variables: instruction.variables }),
        }));
      case 'FAIL_JOB':
        return this.answerJob(instruction.jobSelector, (tokenId) => ({
          tokenId,
          outcome: 'fail',
          message: instruction.errorMessage ?? 'The job failed (lotse test FAIL_JOB)',
        }));
      case 'MOCK_JOB_WORKER_COMPLETE_JOB':
        this.mocks.set(instruction.jobType, (tokenId) => ({
          tokenId,
          outcome: 'complete',
          variables: instruction.variables ?? {},
        }));
        return OK;
      case 'MOCK_JOB_WORKER_THROW_BPMN_ERROR':
        this.mocks.set(instruction.jobType, (tokenId) => ({
          tokenId,
          outcome: 'throwError',
          errorCode: instruction.errorCode,
          ...(instruction.errorMessage !== undefined && { message: instruction.errorMessage }),
          ...(instruction.variables !== undefined && { variables: instruction.variables }),
        }));
        return OK;
      case 'PUBLISH_MESSAGE':
        return this.publishMessage(instruction);
      case 'CORRELATE_MESSAGE':
        return this.correlateMessage(instruction);
      case 'BROADCAST_SIGNAL':
        // As in CPT: the broadcast does not wait for a subscriber; a case that waits later does not see it.
        await this.driver.broadcastSignal(instruction.signalName, instruction.variables ?? {}, this.caseIds());
        return OK;
      case 'INCREASE_TIME':
        return this.increaseTime(parseDuration(instruction.duration));
      case 'SET_TIME': {
        const ms = Date.parse(instruction.time) - (Date.now() + this.clockOffsetMs);
        if (ms < 0)
          return {
            ok: false,
            reason: `${instruction.time} is in the past of the case's clock; time only moves forward`,
          };
        return this.increaseTime(ms);
      }
      case 'RESOLVE_INCIDENT':
        return this.resolveIncident(instruction);
      default:
        return this.assert(instruction);
    }
  }

  caseIds(): string[] {
    return this.cases.map(({ caseId }) => caseId);
  }

  async finish(): Promise<void> {
    await this.driver.finish(
      this.cases.map(({ caseId }) => caseId),
      this.messageKeys,
    );
  }

  private async createProcessInstance(instruction: InstructionOf<'CREATE_PROCESS_INSTANCE'>): Promise<Outcome> {
    const { processDefinitionId } = instruction.processDefinitionSelector;
    const resolved = await this.services.resolve(processDefinitionId, this.file);
    if (!resolved.ok) return { ok: false, reason: resolved.message };
    const { caseId } = await this.driver.startCase(resolved.versionId, instruction.variables ?? {}, this.clockOffsetMs);
    this.cases.push({ caseId, processId: processDefinitionId, model: resolved.model });
    // As in Zeebe, the instance exists with its first step taken when creation returns: an INCREASE_TIME that
    // follows moves the clock for the timers this step started, not before them.
    const started = await this.until((world) =>
      world.some((view) => view.caseId === caseId && view.seq > 0)
        ? { ok: true, value: undefined }
        : { ok: false, reason: 'the case did not take its first step' },
    );
    return started.ok ? OK : started;
  }

  private async completeUserTask(instruction: InstructionOf<'COMPLETE_USER_TASK'>): Promise<Outcome> {
    const found = await this.until((world) => {
      const match = findOpenUserTask(world, instruction.userTaskSelector);
      if (match) return { ok: true, value: match };
      const open = world.flatMap((view) =>
        view.tasks.filter((task) => task.status === 'open').map((task) => bpmnIdOf(task.elementId)),
      );
      return {
        ok: false,
        reason:
          `no open user task with ${describeSelector(instruction.userTaskSelector)} ` +
          `(${open.length > 0 ? `open: ${open.join(', ')}` : 'no task is open'})`,
      };
    });
    if (!found.ok) return found;
    await this.driver.completeUserTask(found.value.view.caseId, found.value.task.tokenId, instruction.variables ?? {});
    return OK;
  }

  private async answerJob(
    selector: InstructionOf<'COMPLETE_JOB'>['jobSelector'],
    answer: (tokenId: string) => ScenarioJobInput,
  ): Promise<Outcome> {
    const found = await this.until((world) => {
      const match = findJob(world, selector);
      if (match) return { ok: true, value: match };
      const waiting = world.flatMap((view) => view.jobs.map((job) => `${job.taskType} (${bpmnIdOf(job.elementId)})`));
      return {
        ok: false,
        reason:
          `no waiting job with ${describeSelector(selector)} ` +
          `(${waiting.length > 0 ? `waiting: ${waiting.join(', ')}` : 'no job is waiting'})`,
      };
    });
    if (!found.ok) return found;
    await this.driver.jobOutcome(found.value.view.caseId, answer(found.value.job.tokenId));
    return OK;
  }

  private async publishMessage(instruction: InstructionOf<'PUBLISH_MESSAGE'>): Promise<Outcome> {
    const published = await this.driver.publishMessage({
      name: instruction.name,
      correlationKey: instruction.correlationKey ?? '',
      variables: instruction.variables ?? {},
      ...(instruction.messageId !== undefined && { messageId: `${this.runId}:${instruction.messageId}` }),
      timeToLiveMs: instruction.timeToLive ?? DEFAULT_MESSAGE_TTL_MS,
    });
    this.messageKeys.push(published.messageKey);
    return OK;
  }

  /**
   * CPT correlates only with a waiting subscription; this waits for one, then publishes without buffering. A key
   * written as an expression (`=caseNumber`, a Lotse extension) is evaluated against each case's variables: the
   * test cannot know the number a case gets (withdrawal, ADR 0029).
   */
  private async correlateMessage(instruction: InstructionOf<'CORRELATE_MESSAGE'>): Promise<Outcome> {
    const given = instruction.correlationKey ?? '';
    const keyOf = (variables: Record<string, unknown>): string | undefined => {
      if (!isExpression(given)) return given;
      try {
        return String(evaluateExpression(stripExpression(given), variables));
      } catch {
        return undefined; // a key this case cannot evaluate is no key of this case
      }
    };
    const waiting = await this.until((world) => {
      const view = world.find((candidate) =>
        candidate.subscriptions.some(
          (subscription) =>
            subscription.messageName === instruction.name && subscription.correlationKey === keyOf(candidate.variables),
        ),
      );
      const key = view && keyOf(view.variables);
      return key !== undefined
        ? { ok: true, value: key }
        : {
            ok: false,
            reason: `no case waits for message ${instruction.name} with correlation key "${given}"`,
          };
    });
    if (!waiting.ok) return waiting;
    const correlationKey = waiting.value;
    const published = await this.driver.publishMessage({
      name: instruction.name,
      correlationKey,
      variables: instruction.variables ?? {},
      timeToLiveMs: 0,
    });
    this.messageKeys.push(published.messageKey);
    return published.correlatedCaseId !== undefined
      ? OK
      : { ok: false, reason: `message ${instruction.name} was not correlated` };
  }

  private async increaseTime(ms: number): Promise<Outcome> {
    this.clockOffsetMs += ms;
    for (const { caseId } of this.cases) await this.driver.increaseTime(caseId, ms);
    return OK;
  }

  private async resolveIncident(instruction: InstructionOf<'RESOLVE_INCIDENT'>): Promise<Outcome> {
    const found = await this.until((world) => {
      const match = findOpenIncident(world, instruction.incidentSelector);
      return match
        ? { ok: true, value: match }
        : { ok: false, reason: `no open incident with ${describeSelector(instruction.incidentSelector)}` };
    });
    if (!found.ok) return found;
    await this.driver.resolveIncident(found.value.view.caseId, found.value.incident.id);
    return OK;
  }

  private async assert(instruction: AssertionInstruction): Promise<Outcome> {
    return this.until((world) => {
      const verdict = checkAssertion(instruction, world);
      return verdict.ok ? OK : verdict;
    }, !waitsUntilTrue(instruction));
  }

  /**
   * Polls consistent views of the test case's cases until the probe finds what it looks for, says waiting cannot
   * help, or the timeout passes. `once`: judge the first consistent view.
   */
  private async until<T>(probe: (world: ScenarioWorld) => Found<T>, once = false): Promise<Found<T>> {
    const deadline = Date.now() + this.options.timeoutMs;
    let last: Found<T> = { ok: false, reason: 'the case did not answer' };
    for (;;) {
      const world = await this.world().catch((error: unknown) => rejectionMessage(error));
      if (typeof world === 'string') {
        last = { ok: false, reason: world };
      } else {
        last = probe(world);
        if (last.ok || last.final || once) return last;
      }
      if (Date.now() >= deadline) return last;
      await sleep(this.options.pollMs);
    }
  }

  /** Views of all cases at one step each; a string says why not (yet). Mocked job workers act on what they see. */
  private async world(): Promise<ScenarioWorld | string> {
    const views = [];
    for (const { caseId, processId, model } of this.cases) {
      const view = await this.driver.view(caseId, processId, model);
      if (typeof view === 'string') return view;
      views.push(view);
    }
    let answered = false;
    for (const view of views) {
      for (const job of view.jobs) {
        const mock = this.mocks.get(job.taskType);
        const key = `${view.caseId}:${job.tokenId}`;
        if (!mock || this.mockedTokens.has(key)) continue;
        this.mockedTokens.add(key);
        // A job that stopped waiting meanwhile (an interrupting event took its token) needs no answer.
        await this.driver.jobOutcome(view.caseId, mock(job.tokenId)).catch(() => undefined);
        answered = true;
      }
    }
    return answered ? 'a mocked job worker answered a job' : views;
  }
}
