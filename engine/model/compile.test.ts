import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileErrorsToText, compileProcess, type CompileIssue, type CompileResult } from './compile.js';
import type { ProcessModel } from './process-model.js';

const generalInquiryXml = readFileSync(
  new URL('../../workflows/catalog/general-inquiry/general-inquiry.bpmn', import.meta.url),
  'utf8',
);

/** A DI-free definitions document around one executable process, as a hand-written file would be. */
function bpmn(processBody: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="Definitions_Test" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="test-process" name="Test" isExecutable="true">${processBody}</bpmn:process>
</bpmn:definitions>`;
}

function expectModel(result: CompileResult): ProcessModel {
  if (!result.ok) {
    throw new Error(`expected the model to compile:\n${compileErrorsToText(result.errors)}`);
  }
  return result.model;
}

function expectErrors(result: CompileResult): CompileIssue[] {
  if (result.ok) {
    throw new Error('expected compile errors, got a model');
  }
  return result.errors;
}

describe('compileProcess: the general-inquiry service', () => {
  it('compiles every element into the model shape', async () => {
    // Given the shipped general-inquiry BPMN (with DI)
    // When it is compiled
    const result = await compileProcess(generalInquiryXml);

    // Then the model holds every element with its Zeebe extensions, and no warnings
    expect(result.ok && result.warnings).toEqual([]);
    const model = expectModel(result);
    expect(model).toMatchObject({
      format: 1,
      processId: 'general-inquiry',
      name: 'Allgemeine Anfrage',
      startEventId: 'StartEvent_Submitted',
    });
    expect(model.elements).toEqual({
      StartEvent_Submitted: {
        kind: 'startEvent',
        id: 'StartEvent_Submitted',
        name: 'Anfrage eingegangen',
        status: 'Eingegangen',
        formId: 'general-inquiry-start',
        incoming: [],
        outgoing: ['Flow_ToAnswer'],
      },
      Task_Answer: {
        kind: 'userTask',
        id: 'Task_Answer',
        name: 'Anfrage beantworten',
        status: 'In Bearbeitung',
        formId: 'general-inquiry-answer',
        candidateGroups: ['wirtschaftsfoerderung'],
        incoming: ['Flow_ToAnswer'],
        outgoing: ['Flow_ToMail'],
      },
      Task_SendAnswer: {
        kind: 'serviceTask',
        id: 'Task_SendAnswer',
        name: 'Antwort senden',
        taskType: 'email',
        retries: 3,
        headers: {
          to: '=applicant.email',
          subject: 'Ihre Anfrage {{caseNumber}}: {{subject}}',
          body: 'Guten Tag {{applicant.name}},\n\n{{answer}}\n\nMit freundlichen Grüßen\nIhre Wirtschaftsförderung',
        },
        incoming: ['Flow_ToMail'],
        outgoing: ['Flow_ToDecision'],
      },
      Gateway_FollowUp: {
        kind: 'exclusiveGateway',
        id: 'Gateway_FollowUp',
        name: 'Rückruf gewünscht?',
        defaultFlow: 'Flow_NoCall',
        incoming: ['Flow_ToDecision'],
        outgoing: ['Flow_Call', 'Flow_NoCall'],
      },
      Task_FollowUpCall: {
        kind: 'userTask',
        id: 'Task_FollowUpCall',
        name: 'Rückruf durchführen',
        status: 'Rückruf geplant',
        formId: 'general-inquiry-call',
        candidateGroups: ['wirtschaftsfoerderung'],
        incoming: ['Flow_Call'],
        outgoing: ['Flow_CallDone'],
      },
      EndEvent_Answered: {
        kind: 'endEvent',
        id: 'EndEvent_Answered',
        name: 'Beantwortet',
        status: 'Beantwortet',
        incoming: ['Flow_NoCall'],
        outgoing: [],
      },
      EndEvent_CalledBack: {
        kind: 'endEvent',
        id: 'EndEvent_CalledBack',
        name: 'Beantwortet mit Rückruf',
        status: 'Beantwortet',
        incoming: ['Flow_CallDone'],
        outgoing: [],
      },
    });
  });

  it('strips the "=" from conditions and keeps unconditional flows without one', async () => {
    const model = expectModel(await compileProcess(generalInquiryXml));

    expect(model.flows['Flow_Call']).toEqual({
      id: 'Flow_Call',
      name: 'Ja',
      sourceId: 'Gateway_FollowUp',
      targetId: 'Task_FollowUpCall',
      condition: 'followUpCall = true',
    });
    expect(model.flows['Flow_NoCall']).toEqual({
      id: 'Flow_NoCall',
      name: 'Nein',
      sourceId: 'Gateway_FollowUp',
      targetId: 'EndEvent_Answered',
    });
  });

  it('produces plain JSON: the model survives a JSON round trip unchanged', async () => {
    const model = expectModel(await compileProcess(generalInquiryXml));

    expect(JSON.parse(JSON.stringify(model))).toEqual(model);
  });
});

describe('compileProcess: supported elements in hand-written BPMN', () => {
  it('derives incoming and outgoing from the flows when the XML omits them (no DI, no <bpmn:outgoing>)', async () => {
    // Given a process that lists no incoming/outgoing children
    const xml = bpmn(`
      <bpmn:startEvent id="Start" />
      <bpmn:endEvent id="End" />
      <bpmn:sequenceFlow id="Flow_1" sourceRef="Start" targetRef="End" />`);

    // When it is compiled
    const model = expectModel(await compileProcess(xml));

    // Then the connections come from the sequence flows
    expect(model.elements['Start']).toEqual({ kind: 'startEvent', id: 'Start', incoming: [], outgoing: ['Flow_1'] });
    expect(model.elements['End']).toEqual({ kind: 'endEvent', id: 'End', incoming: ['Flow_1'], outgoing: [] });
  });

  it('reads a user task with a comma-separated candidate group list, an assignee and a form', async () => {
    const xml = bpmn(`
      <bpmn:startEvent id="Start" />
      <bpmn:userTask id="Task_Review" name="Prüfen">
        <bpmn:extensionElements>
          <zeebe:userTask />
          <zeebe:assignmentDefinition candidateGroups=" foerderung, applicant ,, leitung" assignee="mueller" />
          <zeebe:formDefinition formId="review-form" />
        </bpmn:extensionElements>
      </bpmn:userTask>
      <bpmn:endEvent id="End" />
      <bpmn:sequenceFlow id="Flow_1" sourceRef="Start" targetRef="Task_Review" />
      <bpmn:sequenceFlow id="Flow_2" sourceRef="Task_Review" targetRef="End" />`);

    const model = expectModel(await compileProcess(xml));

    expect(model.elements['Task_Review']).toEqual({
      kind: 'userTask',
      id: 'Task_Review',
      name: 'Prüfen',
      candidateGroups: ['foerderung', 'applicant', 'leitung'],
      assignee: 'mueller',
      formId: 'review-form',
      incoming: ['Flow_1'],
      outgoing: ['Flow_2'],
    });
  });

  it.each([
    { retriesAttribute: '', expectedRetries: 3 },
    { retriesAttribute: 'retries="5"', expectedRetries: 5 },
  ])(
    'reads a service task with $retriesAttribute as $expectedRetries retries',
    async ({ retriesAttribute, expectedRetries }) => {
      const xml = bpmn(`
      <bpmn:startEvent id="Start" />
      <bpmn:serviceTask id="Task_Register">
        <bpmn:extensionElements>
          <zeebe:taskDefinition type="crm-register" ${retriesAttribute} />
          <zeebe:taskHeaders>
            <zeebe:header key="list" value="newsletter" />
          </zeebe:taskHeaders>
          <zeebe:properties>
            <zeebe:property name="status" value="Wird registriert" />
            <zeebe:property name="owner" value="crm-team" />
          </zeebe:properties>
        </bpmn:extensionElements>
      </bpmn:serviceTask>
      <bpmn:endEvent id="End" />
      <bpmn:sequenceFlow id="Flow_1" sourceRef="Start" targetRef="Task_Register" />
      <bpmn:sequenceFlow id="Flow_2" sourceRef="Task_Register" targetRef="End" />`);

      const model = expectModel(await compileProcess(xml));

      expect(model.elements['Task_Register']).toEqual({
        kind: 'serviceTask',
        id: 'Task_Register',
        status: 'Wird registriert',
        taskType: 'crm-register',
        retries: expectedRetries,
        headers: { list: 'newsletter' },
        incoming: ['Flow_1'],
        outgoing: ['Flow_2'],
      });
    },
  );

  it('keeps the outgoing flows of a gateway in document order, the order conditions are evaluated in', async () => {
    const xml = bpmn(`
      <bpmn:startEvent id="Start" />
      <bpmn:exclusiveGateway id="Gateway_Amount" default="Flow_Small" />
      <bpmn:endEvent id="End_Large" />
      <bpmn:endEvent id="End_Medium" />
      <bpmn:endEvent id="End_Small" />
      <bpmn:sequenceFlow id="Flow_1" sourceRef="Start" targetRef="Gateway_Amount" />
      <bpmn:sequenceFlow id="Flow_Small" sourceRef="Gateway_Amount" targetRef="End_Small" />
      <bpmn:sequenceFlow id="Flow_Large" sourceRef="Gateway_Amount" targetRef="End_Large">
        <bpmn:conditionExpression>= amount &gt; 10000</bpmn:conditionExpression>
      </bpmn:sequenceFlow>
      <bpmn:sequenceFlow id="Flow_Medium" sourceRef="Gateway_Amount" targetRef="End_Medium">
        <bpmn:conditionExpression>=amount &gt; 1000</bpmn:conditionExpression>
      </bpmn:sequenceFlow>`);

    const model = expectModel(await compileProcess(xml));

    expect(model.elements['Gateway_Amount']).toMatchObject({
      defaultFlow: 'Flow_Small',
      outgoing: ['Flow_Small', 'Flow_Large', 'Flow_Medium'],
    });
    expect(model.flows['Flow_Large']?.condition).toBe('amount > 10000');
  });

  it('accepts a gateway with a single unconditional flow (a merge)', async () => {
    const xml = bpmn(`
      <bpmn:startEvent id="Start" />
      <bpmn:exclusiveGateway id="Gateway_Merge" />
      <bpmn:endEvent id="End" />
      <bpmn:sequenceFlow id="Flow_1" sourceRef="Start" targetRef="Gateway_Merge" />
      <bpmn:sequenceFlow id="Flow_2" sourceRef="Gateway_Merge" targetRef="End" />`);

    expect((await compileProcess(xml)).ok).toBe(true);
  });

  it.each([
    {
      situation: 'a non-executable process next to the executable one',
      xml: `<?xml version="1.0" encoding="UTF-8"?>
        <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D">
          <bpmn:process id="partner" isExecutable="false" />
          <bpmn:process id="main" isExecutable="true">
            <bpmn:startEvent id="Start" />
            <bpmn:endEvent id="End" />
            <bpmn:sequenceFlow id="Flow_1" sourceRef="Start" targetRef="End" />
          </bpmn:process>
        </bpmn:definitions>`,
      warning: {
        elementId: 'partner',
        elementType: 'bpmn:Process',
        message: 'this process is not executable and is ignored',
      },
    },
    {
      situation: 'a user task nobody can see',
      xml: bpmn(`
        <bpmn:startEvent id="Start" />
        <bpmn:userTask id="Task_Lost" />
        <bpmn:endEvent id="End" />
        <bpmn:sequenceFlow id="Flow_1" sourceRef="Start" targetRef="Task_Lost" />
        <bpmn:sequenceFlow id="Flow_2" sourceRef="Task_Lost" targetRef="End" />`),
      warning: {
        elementId: 'Task_Lost',
        elementType: 'bpmn:UserTask',
        message: 'the user task has neither candidateGroups nor an assignee; nobody will see it',
      },
    },
  ])('compiles $situation with a warning', async ({ xml, warning }) => {
    const result = await compileProcess(xml);

    expect(result).toMatchObject({ ok: true, warnings: [warning] });
  });
});

describe('compileProcess: rejected BPMN, one fixture per rule', () => {
  const rules: { rule: string; errors: CompileIssue[] }[] = [
    {
      rule: 'parallel-gateway',
      errors: [
        {
          elementId: 'ParallelGateway_1',
          elementType: 'bpmn:ParallelGateway',
          message: 'parallel gateways are not supported yet; use an exclusive gateway',
        },
      ],
    },
    {
      rule: 'timer-start-event',
      errors: [
        {
          elementId: 'Start_Daily',
          elementType: 'bpmn:StartEvent',
          message: 'timer start events are not supported yet; use a none start event',
        },
      ],
    },
    {
      rule: 'message-end-event',
      errors: [
        {
          elementId: 'End_Notify',
          elementType: 'bpmn:EndEvent',
          message: 'message end events are not supported yet; use a none end event',
        },
      ],
    },
    {
      rule: 'boundary-event',
      errors: [
        {
          elementId: 'Boundary_Timeout',
          elementType: 'bpmn:BoundaryEvent',
          message: 'boundary events are not supported yet',
        },
      ],
    },
    {
      rule: 'sub-process',
      errors: [
        {
          elementId: 'SubProcess_Review',
          elementType: 'bpmn:SubProcess',
          message: 'sub-processes are not supported yet',
        },
      ],
    },
    {
      rule: 'missing-task-type',
      errors: [
        {
          elementId: 'Task_Notify',
          elementType: 'bpmn:ServiceTask',
          message: 'zeebe:taskDefinition type is missing; it chooses the activity that runs the task',
        },
      ],
    },
    {
      rule: 'feel-syntax-condition',
      errors: [
        {
          elementId: 'Flow_Approved',
          elementType: 'bpmn:SequenceFlow',
          message:
            'the condition is not valid FEEL: FEEL expression "amount >" is invalid: the expression ends too early',
        },
      ],
    },
    {
      rule: 'clock-condition',
      errors: [
        {
          elementId: 'Flow_Approved',
          elementType: 'bpmn:SequenceFlow',
          message:
            'the condition is not valid FEEL: FEEL expression "today() > deadline" is invalid: ' +
            'today() reads the clock and is not allowed (cases must replay deterministically)',
        },
      ],
    },
    {
      rule: 'condition-without-equals',
      errors: [
        {
          elementId: 'Flow_Approved',
          elementType: 'bpmn:SequenceFlow',
          message: 'the condition must be a FEEL expression starting with "=", e.g. "=approved = true"',
        },
      ],
    },
    {
      rule: 'unconditional-gateway-flow',
      errors: [
        {
          elementId: 'Flow_Rejected',
          elementType: 'bpmn:SequenceFlow',
          message:
            'the sequence flow leaves exclusive gateway Gateway_Decision without a condition; ' +
            'add a condition or make it the default flow',
        },
      ],
    },
    {
      rule: 'conditional-default-flow',
      errors: [
        {
          elementId: 'Flow_Rejected',
          elementType: 'bpmn:SequenceFlow',
          message: 'the default flow of Gateway_Decision must not have a condition',
        },
      ],
    },
    {
      rule: 'condition-outside-gateway',
      errors: [
        {
          elementId: 'Flow_1',
          elementType: 'bpmn:SequenceFlow',
          message: 'conditions are only supported on sequence flows leaving an exclusive gateway',
        },
      ],
    },
    {
      rule: 'two-processes',
      errors: [
        {
          elementId: 'process-b',
          elementType: 'bpmn:Process',
          message: 'the file contains 2 executable processes (process-a, process-b); a service has exactly one',
        },
      ],
    },
    {
      rule: 'no-executable-process',
      errors: [
        {
          elementId: 'fixture',
          elementType: 'bpmn:Process',
          message: 'no process is executable; set isExecutable="true" on the process',
        },
      ],
    },
    {
      rule: 'not-well-formed',
      errors: [
        {
          message:
            'the BPMN file cannot be read: unparsable content </bpmn:process> detected, ' +
            'line: 8, column: 2, nested error: closing tag mismatch',
        },
      ],
    },
    {
      rule: 'unknown-bpmn-element',
      errors: [
        {
          message:
            'the BPMN file cannot be read: unparsable content <bpmn:approvalTask> detected, ' +
            'line: 6, column: 4, nested error: unknown type <bpmn:ApprovalTask>',
        },
      ],
    },
    {
      rule: 'unknown-extension',
      errors: [
        {
          elementId: 'Task_Review',
          elementType: 'bpmn:UserTask',
          message: 'extension element <acme:escalation> is unknown',
        },
      ],
    },
    {
      rule: 'unsupported-zeebe-extension',
      errors: [
        {
          elementId: 'Task_Review',
          elementType: 'bpmn:UserTask',
          message: 'extension element <zeebe:ioMapping> is not supported on this element (yet)',
        },
      ],
    },
    {
      rule: 'feel-candidate-groups',
      errors: [
        {
          elementId: 'Task_Review',
          elementType: 'bpmn:UserTask',
          message: 'FEEL expressions in candidateGroups are not supported yet; list the groups, comma-separated',
        },
      ],
    },
    {
      rule: 'feel-assignee',
      errors: [
        {
          elementId: 'Task_Review',
          elementType: 'bpmn:UserTask',
          message: 'FEEL expressions in assignee are not supported yet; name the user',
        },
      ],
    },
    {
      rule: 'missing-outgoing',
      errors: [
        {
          elementId: 'Task_Review',
          elementType: 'bpmn:UserTask',
          message: 'the element has no outgoing sequence flow; connect it or end the path with an end event',
        },
      ],
    },
    {
      rule: 'missing-incoming',
      errors: [
        {
          elementId: 'End_Orphan',
          elementType: 'bpmn:EndEvent',
          message: 'the element has no incoming sequence flow, so it can never be reached',
        },
      ],
    },
    {
      rule: 'missing-start-event',
      errors: [
        { elementId: 'fixture', elementType: 'bpmn:Process', message: 'the process needs a start event' },
        {
          elementId: 'Task_Review',
          elementType: 'bpmn:UserTask',
          message: 'the element has no incoming sequence flow, so it can never be reached',
        },
      ],
    },
    {
      rule: 'implicit-parallel-split',
      errors: [
        {
          elementId: 'Task_Review',
          elementType: 'bpmn:UserTask',
          message:
            'the element has 2 outgoing sequence flows, which would run in parallel; ' +
            'not supported yet, use an exclusive gateway to choose one path',
        },
      ],
    },
  ];

  it.each(rules)('rejects fixtures/$rule-invalid.bpmn', async ({ rule, errors }) => {
    // Given a process that breaks exactly one rule
    const xml = readFileSync(new URL(`./fixtures/${rule}-invalid.bpmn`, import.meta.url), 'utf8');

    // When it is compiled
    const result = await compileProcess(xml);

    // Then the errors name the offending element and nothing else
    expect(expectErrors(result)).toEqual(errors);
  });

  it('has a test for every fixture', () => {
    const fixtures = readdirSync(new URL('./fixtures/', import.meta.url)).filter((file) => file.endsWith('.bpmn'));

    expect(fixtures.sort()).toEqual(rules.map(({ rule }) => `${rule}-invalid.bpmn`).sort());
  });
});

describe('compileErrorsToText', () => {
  it('writes one line per issue, with element id and type where known', () => {
    const text = compileErrorsToText([
      {
        elementId: 'ParallelGateway_1',
        elementType: 'bpmn:ParallelGateway',
        message: 'parallel gateways are not supported yet; use an exclusive gateway',
      },
      { elementId: 'Flow_1', message: 'something about a flow' },
      { message: 'the BPMN file cannot be read: closing tag mismatch' },
    ]);

    expect(text).toBe(
      [
        'ParallelGateway_1 (bpmn:ParallelGateway): parallel gateways are not supported yet; use an exclusive gateway',
        'Flow_1: something about a flow',
        'the BPMN file cannot be read: closing tag mismatch',
      ].join('\n'),
    );
  });
});
