import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseStateQuery } from '../../engine/case/contract.js';
import { compileProcess } from '../../engine/model/compile.js';
import { createServiceRepository } from '../../engine/repositories/service.repository.js';
import { createSignalRepository } from '../../engine/repositories/signal.repository.js';
import { createScenarioDriver } from '../../engine/scenario/scenario.driver.js';
import { createScenarioReadModel } from '../../engine/scenario/scenario-read-model.js';
import { createSignalService, type SignalService } from '../../engine/services/signal.service.js';
import { eventually, startTestSystem } from '../system.js';

type System = Awaited<ReturnType<typeof startTestSystem>>;

const definitions = (processId: string, body: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="Definitions_${processId}">
  <bpmn:signal id="Signal_Wave" name="=waveSignal" />
  <bpmn:process id="${processId}" isExecutable="true">${body}</bpmn:process>
</bpmn:definitions>`;

const staffTask = (id: string) =>
  `<bpmn:userTask id="${id}"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="staff" /></bpmn:extensionElements></bpmn:userTask>`;

/** Waits at a signal catch event, then at a task. */
const WAITER = definitions(
  'signals-it-waiter',
  `<bpmn:startEvent id="Start" />
   <bpmn:intermediateCatchEvent id="Catch_Wave"><bpmn:signalEventDefinition id="D1" signalRef="Signal_Wave" /></bpmn:intermediateCatchEvent>
   ${staffTask('Task_After')}
   <bpmn:endEvent id="End" />
   <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Catch_Wave" />
   <bpmn:sequenceFlow id="F2" sourceRef="Catch_Wave" targetRef="Task_After" />
   <bpmn:sequenceFlow id="F3" sourceRef="Task_After" targetRef="End" />`,
);

/** Another service: a task that an interrupting signal boundary event recalls. */
const RECALLED = definitions(
  'signals-it-recalled',
  `<bpmn:startEvent id="Start" />
   ${staffTask('Task_Review')}
   <bpmn:boundaryEvent id="Recall" attachedToRef="Task_Review"><bpmn:signalEventDefinition id="D2" signalRef="Signal_Wave" /></bpmn:boundaryEvent>
   ${staffTask('Task_Recalled')}
   <bpmn:endEvent id="End" />
   <bpmn:endEvent id="End_Recalled" />
   <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Task_Review" />
   <bpmn:sequenceFlow id="F2" sourceRef="Task_Review" targetRef="End" />
   <bpmn:sequenceFlow id="F3" sourceRef="Recall" targetRef="Task_Recalled" />
   <bpmn:sequenceFlow id="F4" sourceRef="Task_Recalled" targetRef="End_Recalled" />`,
);

let system: System;
let signals: SignalService;

beforeAll(async () => {
  system = await startTestSystem();
  signals = createSignalService({ signals: createSignalRepository(system.db), temporal: system.temporalClient });
});

afterAll(async () => {
  await system?.stop();
});

async function published(driver: ReturnType<typeof createScenarioDriver>, bpmnXml: string) {
  const compiled = await compileProcess(bpmnXml);
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.errors));
  return driver.publish({
    slug: `signals-it-${randomUUID().slice(0, 8)}`,
    name: 'Signale',
    bpmnXml,
    forms: {},
    model: compiled.model,
    contentHash: createHash('sha256').update(bpmnXml).update(randomUUID()).digest('hex'),
  });
}

describe('broadcasting a signal', () => {
  it('reaches every subscribed case of every service once; a second broadcast after they moved on reaches none', async () => {
    const driver = createScenarioDriver({
      temporal: system.temporalClient,
      readModel: createScenarioReadModel(system.db),
      services: createServiceRepository(system.db),
      caseStarts: system.services.caseStarts,
      messages: system.services.messages,
      signals,
    });
    const waveSignal = `wave-${randomUUID()}`;
    const waiter = await published(driver, WAITER);
    const recalled = await published(driver, RECALLED);
    const started = [
      await driver.startCase(waiter, { waveSignal }, 0),
      await driver.startCase(waiter, { waveSignal }, 0),
      await driver.startCase(recalled, { waveSignal }, 0),
    ];
    const caseIds = started.map(({ caseId }) => caseId);
    const subscribers = createSignalRepository(system.db);
    await eventually(
      async () => ((await subscribers.subscribers(waveSignal)).length === 3 ? true : undefined),
      15_000,
      'three signal subscriptions',
    );

    // One broadcast, with variables
    const first = await signals.broadcast({ name: waveSignal, variables: { wave: 1 } });
    expect([...first.reachedCaseIds].sort()).toEqual([...caseIds].sort());

    // Each case took it once: the waiters wait at their task (one token), the recalled case left its review
    const states = await Promise.all(
      caseIds.map((caseId) => system.temporalClient.workflow.getHandle(caseId).query(caseStateQuery)),
    );
    const waitingAt = states.map((state) => state.tokens.map((token) => token.elementId));
    expect(waitingAt).toEqual([['Task_After'], ['Task_After'], ['Task_Recalled']]);
    expect(states.map((state) => state.variables['wave'])).toEqual([1, 1, 1]);
    expect(states.map((state) => state.signalSubscriptions)).toEqual([undefined, undefined, undefined]);
    expect(await subscribers.subscribers(waveSignal)).toEqual([]);

    // The signal is not buffered: a second broadcast finds nobody and changes nothing
    const second = await signals.broadcast({ name: waveSignal, variables: { wave: 2 } });
    expect(second.reachedCaseIds).toEqual([]);
    const after = await Promise.all(
      caseIds.map((caseId) => system.temporalClient.workflow.getHandle(caseId).query(caseStateQuery)),
    );
    expect(after.map((state) => state.seq)).toEqual(states.map((state) => state.seq));
    await driver.finish(caseIds, []);
  });

  it('a retried broadcast (same signal id) reaches a case that already took it no second time', async () => {
    const driver = createScenarioDriver({
      temporal: system.temporalClient,
      readModel: createScenarioReadModel(system.db),
      services: createServiceRepository(system.db),
      caseStarts: system.services.caseStarts,
      messages: system.services.messages,
      signals,
    });
    const waveSignal = `retry-${randomUUID()}`;
    const recalled = await published(
      driver,
      RECALLED.replace('<bpmn:boundaryEvent id="Recall"', '<bpmn:boundaryEvent id="Recall" cancelActivity="false"'),
    );
    const { caseId } = await driver.startCase(recalled, { waveSignal }, 0);
    const subscribers = createSignalRepository(system.db);
    await eventually(
      async () => ((await subscribers.subscribers(waveSignal)).length === 1 ? true : undefined),
      15_000,
      'the signal subscription',
    );
    const signalId = randomUUID();
    await signals.broadcast({ name: waveSignal, signalId });
    // Non-interrupting: the case still waits for the signal, so only the update id keeps the retry out
    const again = await signals.broadcast({ name: waveSignal, signalId });
    expect(again.reachedCaseIds).toEqual([caseId]);
    const state = await system.temporalClient.workflow.getHandle(caseId).query(caseStateQuery);
    expect(state.tokens.map((token) => token.elementId).sort()).toEqual(['Task_Recalled', 'Task_Review']);
    await driver.finish([caseId], []);
  });
});
