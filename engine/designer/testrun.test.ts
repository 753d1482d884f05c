import { describe, expect, it } from 'vitest';
import { parseTestCaseFile } from '../scenario/test-case-file.js';
import { newTestFileName, startEventsOf, testFileSkeleton, testFilesOf } from './testrun.js';

const BPMN = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">
  <bpmn:process id="antrag" isExecutable="true">
    <bpmn:startEvent id="Start_Message" name="Nachricht"><bpmn:messageEventDefinition /></bpmn:startEvent>
    <bpmn:subProcess id="Sub"><bpmn:startEvent id="Sub_Start" /></bpmn:subProcess>
    <bpmn:startEvent id="Start_Antrag" name="Antrag &amp; Anlagen eingegangen" />
  </bpmn:process>
  <bpmn:process id="nebenher" isExecutable="false"><bpmn:startEvent id="Start_Other" /></bpmn:process>
</bpmn:definitions>`;

describe('the test-run’s view of a draft', () => {
  it('lists the *.test.json files with their test cases, and names those that are no test file', () => {
    expect(
      testFilesOf({
        'service.json': '{}',
        'b.test.json': JSON.stringify({ testCases: [{ name: 'Erster' }, { instructions: [] }] }),
        'a.test.json': '{ "testCases": [',
        'c.test.json': '{"cases": []}',
      }),
    ).toEqual([
      { name: 'a.test.json', testCases: [], problem: 'invalid-json', detail: expect.any(String) },
      { name: 'b.test.json', testCases: ['Erster', '#2'] },
      { name: 'c.test.json', testCases: [], problem: 'no-test-cases' },
    ]);
  });

  it.each([
    ['antrag', { ok: true, name: 'antrag.test.json' }],
    ['antrag.test.json', { ok: true, name: 'antrag.test.json' }],
    ['antrag.json', { ok: true, name: 'antrag.test.json' }],
    ['  ', { ok: false, error: 'empty' }],
    ['mit Leerzeichen', { ok: false, error: 'invalid' }],
    ['../anderswo', { ok: false, error: 'invalid' }],
    ['.versteckt', { ok: false, error: 'invalid' }],
    ['x'.repeat(95), { ok: false, error: 'too-long' }],
    ['Vorhanden', { ok: false, error: 'taken' }],
  ])('a new test file named %j: %j', (input, expected) => {
    expect(newTestFileName(input, { 'vorhanden.test.json': '{}' })).toEqual(expected);
  });

  it('finds the plain top-level start events of executable processes', () => {
    expect(startEventsOf({ 'antrag.bpmn': BPMN })).toEqual([
      { processId: 'antrag', elementId: 'Start_Antrag', name: 'Antrag & Anlagen eingegangen' },
    ]);
  });

  it('makes a skeleton that names the start event and is a valid CPT test file', () => {
    const skeleton = testFileSkeleton({ 'antrag.bpmn': BPMN });
    const parsed = parseTestCaseFile(JSON.parse(skeleton));
    expect(parsed.ok && parsed.testCases.map((testCase) => [testCase.name, testCase.invalid])).toEqual([
      ['Neuer Testfall', undefined],
    ]);
    expect(skeleton).toContain('„Antrag & Anlagen eingegangen“ (Start_Antrag)');
    expect(skeleton).toContain('"processDefinitionId": "antrag"');
    expect(JSON.parse(testFileSkeleton({ 'antrag.bpmn': BPMN }, 'en')).testCases[0].name).toBe('New test case');
  });
});
