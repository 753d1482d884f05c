import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  calledDecisionIds,
  calledProcessIds,
  decisionIds,
  executableProcessIds,
  findScenarioFiles,
} from './scenario-files.js';
import { scenarioSlug } from './scenario-services.js';

const fixtures = new URL('./fixtures/', import.meta.url).pathname;
const names = (files: { file: string }[]) => files.map((entry) => path.relative(fixtures, entry.file));

describe('findScenarioFiles', () => {
  it('finds models and test files below a folder, whatever the layout', async () => {
    const found = await findScenarioFiles([fixtures]);
    expect(names(found.testFiles)).toEqual([
      'decision/decision.test.json',
      'elements/elements.test.json',
      'failing-assertion/failing-assertion.test.json',
      'instructions/instructions.test.json',
      'unknown-instruction/unknown-instruction.test.json',
      'unsupported-element/unsupported-element.test.json',
    ]);
    expect(found.processes.map((source) => source.processId).sort()).toEqual([
      'elements-call-activity',
      'elements-called',
      'elements-escalation',
      'elements-event-gateway',
      'elements-event-sub-process',
      'elements-inclusive',
      'elements-multi-instance',
      'elements-receive',
      'elements-throw-events',
      'elements-timer-event-sub-process',
      'scenario-fixture-funding-check',
      'scenario-fixture-permit',
      'scenario-fixture-unsupported',
    ]);
    expect(names(found.dmn)).toEqual(['decision/size-class.dmn']);
    expect([...found.forms.keys()]).toEqual(['scenario-size-review']);
    expect(found.problems).toEqual([]);
  });

  it('runs only a given test file, with the models of its folder', async () => {
    const found = await findScenarioFiles([path.join(fixtures, 'unsupported-element/unsupported-element.test.json')]);
    expect(names(found.testFiles)).toEqual(['unsupported-element/unsupported-element.test.json']);
    expect(names(found.bpmn)).toEqual(['unsupported-element/complex-gateway.bpmn']);
  });

  it('a given model file loads its folder but runs no test', async () => {
    const found = await findScenarioFiles([path.join(fixtures, 'instructions/permit.bpmn')]);
    expect(found.testFiles).toEqual([]);
    expect(names(found.bpmn)).toEqual(['instructions/permit.bpmn']);
  });

  it('names a path that does not exist', async () => {
    const found = await findScenarioFiles([path.join(fixtures, 'nowhere')]);
    expect(found.problems).toEqual([`${path.join(fixtures, 'nowhere')}: no such file or folder`]);
  });
});

describe('reading ids from XML', () => {
  it('executable processes, called processes, called and defined decisions', () => {
    const bpmn = `
      <bpmn:process id="main" isExecutable="true">
        <bpmn:callActivity id="Call"><bpmn:extensionElements>
          <zeebe:calledElement processId="child" propagateAllChildVariables="false" />
        </bpmn:extensionElements></bpmn:callActivity>
        <bpmn:callActivity id="Dynamic"><bpmn:extensionElements>
          <zeebe:calledElement processId="=childId" />
        </bpmn:extensionElements></bpmn:callActivity>
        <bpmn:businessRuleTask id="Rule"><bpmn:extensionElements>
          <zeebe:calledDecision decisionId="eligibility" resultVariable="eligible" />
        </bpmn:extensionElements></bpmn:businessRuleTask>
      </bpmn:process>
      <bpmn:process id="library" isExecutable="false" />
      <process id="plain">`;
    expect(executableProcessIds(bpmn)).toEqual(['main', 'plain']);
    expect(calledProcessIds(bpmn)).toEqual(['child']);
    expect(calledDecisionIds(bpmn)).toEqual(['eligibility']);
    expect(decisionIds('<decision id="eligibility" name="E"><decisionTable id="T" /></decision>')).toEqual([
      'eligibility',
    ]);
  });
});

describe('scenarioSlug', () => {
  it.each([
    ['general-inquiry', undefined, 'scenario-general-inquiry'],
    ['Process_Invoice.Approval', undefined, 'scenario-process-invoice-approval'],
    ['general-inquiry', 'fixtures/a/x.bpmn', 'scenario-general-inquiry-'],
  ])('%s (%s) → %s…', (processId, disambiguation, slug) => {
    const result = scenarioSlug(processId, disambiguation);
    expect(result.startsWith(slug)).toBe(true);
    expect(result).toMatch(/^[a-z0-9-]+$/);
    expect(result.length).toBeLessThanOrEqual(80);
  });
});
