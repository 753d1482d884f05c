import { describe, expect, it } from 'vitest';
import { parseDuration } from './duration.js';
import { isTestCaseDocument, parseInstruction, parseTestCaseFile } from './test-case-file.js';

const process = { processDefinitionId: 'general-inquiry' };

describe('parseTestCaseFile', () => {
  it('reads test cases with their instructions', () => {
    const file = parseTestCaseFile({
      $schema: 'https://camunda.com/json-schema/cpt-test-cases/8.9/schema.json',
      testCases: [
        {
          name: 'happy path',
          description: 'no call back',
          instructions: [
            { type: 'CREATE_PROCESS_INSTANCE', processDefinitionSelector: process, variables: { subject: 'Hallo' } },
            { type: 'COMPLETE_USER_TASK', userTaskSelector: { elementId: 'Task_Answer' }, variables: { a: 1 } },
            { type: 'COMPLETE_JOB', jobSelector: { jobType: 'email' } },
            { type: 'ASSERT_PROCESS_INSTANCE', processInstanceSelector: process, state: 'IS_COMPLETED' },
          ],
        },
      ],
    });
    expect(file.ok).toBe(true);
    if (!file.ok) return;
    const [testCase] = file.testCases;
    expect(testCase?.name).toBe('happy path');
    expect(testCase?.description).toBe('no call back');
    expect(testCase?.invalid).toBeUndefined();
    expect(testCase?.instructions.map((instruction) => instruction.type)).toEqual([
      'CREATE_PROCESS_INSTANCE',
      'COMPLETE_USER_TASK',
      'COMPLETE_JOB',
      'ASSERT_PROCESS_INSTANCE',
    ]);
  });

  it('refuses a document without a testCases array', () => {
    expect(parseTestCaseFile({ cases: [] })).toEqual({
      ok: false,
      message: 'not a CPT test case file: the top level has no "testCases" array',
    });
    expect(isTestCaseDocument({ testCases: [] })).toBe(true);
    expect(isTestCaseDocument({ components: [] })).toBe(false);
    expect(isTestCaseDocument([{ testCases: [] }])).toBe(false);
  });

  it('marks a test case whose instruction cannot run, naming its position and type', () => {
    const file = parseTestCaseFile({
      testCases: [
        {
          name: 'unknown',
          instructions: [
            { type: 'CREATE_PROCESS_INSTANCE', processDefinitionSelector: process },
            { type: 'LAUNCH_ROCKET', rocket: 'Ariane' },
          ],
        },
      ],
    });
    expect(file.ok && file.testCases[0]?.invalid).toEqual({
      position: 2,
      type: 'LAUNCH_ROCKET',
      message: 'unknown instruction type "LAUNCH_ROCKET"',
    });
  });

  it('names a missing test case name or instruction list', () => {
    const file = parseTestCaseFile({ testCases: [{ instructions: [] }, { name: 'x' }] });
    expect(file.ok && file.testCases.map((testCase) => [testCase.name, testCase.invalid?.message])).toEqual([
      ['test case 1', 'the test case has no "name"'],
      ['x', 'the test case has no "instructions" array'],
    ]);
  });
});

describe('parseInstruction', () => {
  it.each([
    [{ type: 'BROADCAST_SIGNAL' }, 'signalName: Invalid input: expected string, received undefined'],
    [
      { type: 'UPDATE_VARIABLES', processInstanceSelector: process, variables: {} },
      'not supported by lotse test: a case has no way to set variables from outside',
    ],
    [{ nothing: true }, 'the instruction has no "type"'],
    [
      { type: 'COMPLETE_JOB', jobSelector: {} },
      'jobSelector: a job selector needs jobType, elementId or processDefinitionId',
    ],
    [
      { type: 'COMPLETE_JOB', jobSelector: { jobtype: 'email' } },
      'jobSelector: Unrecognized key: "jobtype"; jobSelector: a job selector needs jobType, elementId or processDefinitionId',
    ],
    [
      { type: 'COMPLETE_USER_TASK', userTaskSelector: { elementId: 'T' }, useExampleData: true },
      'useExampleData: useExampleData is not supported: Lotse models carry no example data',
    ],
    [
      {
        type: 'ASSERT_ELEMENT_INSTANCES',
        processInstanceSelector: process,
        elementSelectors: [{ elementId: 'A' }],
        state: 'IS_GREEN',
      },
      'state: Invalid option: expected one of "IS_ACTIVE"|"IS_COMPLETED"|"IS_TERMINATED"|"IS_NOT_ACTIVE"|"IS_NOT_ACTIVATED"|"IS_ACTIVE_EXACTLY"|"IS_COMPLETED_IN_ORDER"',
    ],
    [
      {
        type: 'CREATE_PROCESS_INSTANCE',
        processDefinitionSelector: process,
        startInstructions: [{ elementId: 'Task' }],
      },
      'startInstructions: startInstructions are not supported: a case always begins at its start event',
    ],
  ])('%o → %s', (raw, message) => {
    const parsed = parseInstruction(raw, 1);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.invalid.message).toBe(message);
  });

  it('defaults ASSERT_ELEMENT_INSTANCE amount to 1', () => {
    const parsed = parseInstruction(
      {
        type: 'ASSERT_ELEMENT_INSTANCE',
        processInstanceSelector: process,
        elementSelector: { elementName: 'Antwort senden' },
        state: 'IS_COMPLETED',
      },
      1,
    );
    expect(parsed.ok && parsed.instruction.type === 'ASSERT_ELEMENT_INSTANCE' && parsed.instruction.amount).toBe(1);
  });
});

describe('parseDuration', () => {
  it.each([
    ['PT1H', 3_600_000],
    ['P3D', 259_200_000],
    ['P1DT12H', 129_600_000],
    ['PT1H30M', 5_400_000],
    ['PT0.5S', 500],
    ['P2W', 1_209_600_000],
    ['pt10m', 600_000],
  ])('%s → %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([
    ['P1M', '"P1M": years and months have no fixed length; give the duration in days (P30D)'],
    ['P1Y', '"P1Y": years and months have no fixed length; give the duration in days (P30D)'],
    ['P', '"P" is no ISO-8601 duration (examples: PT1H, P3D, P1DT12H)'],
    ['PT', '"PT" is no ISO-8601 duration (examples: PT1H, P3D, P1DT12H)'],
    ['1 hour', '"1 hour" is no ISO-8601 duration (examples: PT1H, P3D, P1DT12H)'],
  ])('refuses %s', (text, message) => {
    expect(() => parseDuration(text)).toThrow(message);
  });
});
