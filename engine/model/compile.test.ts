import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  compileErrorsToText,
  compileProcess,
  compileService,
  type CompileIssue,
  type CompileResult,
} from './compile.js';
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
      format: 2,
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
      // Withdrawal (ADR 0029): an interrupting event sub-process waiting for the reserved message, keyed by case.
      SubProcess_Withdrawal: {
        kind: 'subProcess',
        id: 'SubProcess_Withdrawal',
        name: 'Rückzug durch das Unternehmen',
        startEventId: 'StartEvent_Withdrawn',
        eventSubProcessIds: [],
        triggeredByEvent: true,
        incoming: [],
        outgoing: [],
      },
      StartEvent_Withdrawn: {
        kind: 'startEvent',
        id: 'StartEvent_Withdrawn',
        name: 'Vorgang zurückgezogen',
        status: 'Zurückgezogen',
        parentId: 'SubProcess_Withdrawal',
        event: { type: 'message', messageName: 'lotse.withdraw', correlationKey: 'caseNumber' },
        interrupting: true,
        incoming: [],
        outgoing: ['Flow_WithdrawnEnd'],
      },
      EndEvent_Withdrawn: {
        kind: 'endEvent',
        id: 'EndEvent_Withdrawn',
        name: 'Zurückgezogen',
        status: 'Zurückgezogen',
        parentId: 'SubProcess_Withdrawal',
        incoming: ['Flow_WithdrawnEnd'],
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
        job: { taskType: 'crm-register', retries: expectedRetries, headers: { list: 'newsletter' } },
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

describe('compileProcess: scopes, events and mappings', () => {
  it('flattens sub-processes: children name their parent, the sub-process knows its start and event sub-processes', async () => {
    const xml = bpmn(`
      <bpmn:startEvent id="Start" />
      <bpmn:subProcess id="Sub">
        <bpmn:startEvent id="Sub_Start" />
        <bpmn:endEvent id="Sub_End" />
        <bpmn:sequenceFlow id="S1" sourceRef="Sub_Start" targetRef="Sub_End" />
        <bpmn:subProcess id="Sub_Events" triggeredByEvent="true">
          <bpmn:startEvent id="Sub_Timer" isInterrupting="false">
            <bpmn:timerEventDefinition id="TD"><bpmn:timeCycle>R/P1D</bpmn:timeCycle></bpmn:timerEventDefinition>
          </bpmn:startEvent>
          <bpmn:endEvent id="Sub_Events_End" />
          <bpmn:sequenceFlow id="S2" sourceRef="Sub_Timer" targetRef="Sub_Events_End" />
        </bpmn:subProcess>
      </bpmn:subProcess>
      <bpmn:endEvent id="End" />
      <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Sub" />
      <bpmn:sequenceFlow id="F2" sourceRef="Sub" targetRef="End" />`);

    const model = expectModel(await compileProcess(xml));

    expect(model.elements['Sub']).toMatchObject({
      kind: 'subProcess',
      startEventId: 'Sub_Start',
      eventSubProcessIds: ['Sub_Events'],
    });
    expect(model.elements['Sub_Start']).toMatchObject({ parentId: 'Sub' });
    expect(model.elements['Sub_Events']).toMatchObject({ triggeredByEvent: true, parentId: 'Sub' });
    expect(model.elements['Sub_Timer']).toEqual({
      kind: 'startEvent',
      id: 'Sub_Timer',
      incoming: [],
      outgoing: ['S2'],
      parentId: 'Sub_Events',
      event: { type: 'timer', timerType: 'cycle', value: 'R/P1D' },
      interrupting: false,
    });
    expect(model.elements['Start']).not.toHaveProperty('parentId');
  });

  it('reads boundary events, multi-instance, variable mappings and user task expressions', async () => {
    const xml = bpmn(`
      <bpmn:startEvent id="Start" />
      <bpmn:userTask id="Task_Statement">
        <bpmn:extensionElements>
          <zeebe:assignmentDefinition candidateGroups="=department" assignee="lead" />
          <zeebe:taskSchedule dueDate="=deadline" />
          <zeebe:priorityDefinition priority="70" />
          <zeebe:ioMapping>
            <zeebe:input source="=case.number" target="caseNumber" />
            <zeebe:output source="=statement" target="result.text" />
          </zeebe:ioMapping>
        </bpmn:extensionElements>
        <bpmn:multiInstanceLoopCharacteristics isSequential="true">
          <bpmn:extensionElements>
            <zeebe:loopCharacteristics inputCollection="=departments" inputElement="department"
              outputCollection="statements" outputElement="=result" />
          </bpmn:extensionElements>
          <bpmn:completionCondition>=result.text = "veto"</bpmn:completionCondition>
        </bpmn:multiInstanceLoopCharacteristics>
      </bpmn:userTask>
      <bpmn:boundaryEvent id="Reminder" attachedToRef="Task_Statement" cancelActivity="false">
        <bpmn:timerEventDefinition id="TD"><bpmn:timeCycle>R3/P2D</bpmn:timeCycle></bpmn:timerEventDefinition>
      </bpmn:boundaryEvent>
      <bpmn:endEvent id="End" />
      <bpmn:endEvent id="End_Reminded" />
      <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Task_Statement" />
      <bpmn:sequenceFlow id="F2" sourceRef="Task_Statement" targetRef="End" />
      <bpmn:sequenceFlow id="F3" sourceRef="Reminder" targetRef="End_Reminded" />`);

    const model = expectModel(await compileProcess(xml));

    expect(model.elements['Task_Statement']).toEqual({
      kind: 'userTask',
      id: 'Task_Statement',
      incoming: ['F1'],
      outgoing: ['F2'],
      ioMapping: {
        inputs: [{ source: '=case.number', target: 'caseNumber' }],
        outputs: [{ source: '=statement', target: 'result.text' }],
      },
      multiInstance: {
        sequential: true,
        inputCollection: 'departments',
        inputElement: 'department',
        outputCollection: 'statements',
        outputElement: 'result',
        completionCondition: 'result.text = "veto"',
      },
      candidateGroups: [],
      assignee: 'lead',
      priority: 70,
      expressions: { candidateGroups: 'department', dueDate: 'deadline' },
      boundaryEventIds: ['Reminder'],
    });
    expect(model.elements['Reminder']).toMatchObject({
      kind: 'boundaryEvent',
      attachedToId: 'Task_Statement',
      interrupting: false,
      event: { type: 'timer', timerType: 'cycle', value: 'R3/P2D' },
    });
  });

  it('reads messages, errors and escalations from their root elements', async () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
      <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
        xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="D">
        <bpmn:message id="M" name="documents-received">
          <bpmn:extensionElements><zeebe:subscription correlationKey="=caseNumber" /></bpmn:extensionElements>
        </bpmn:message>
        <bpmn:error id="E" errorCode="INCOMPLETE" />
        <bpmn:process id="p" isExecutable="true">
          <bpmn:startEvent id="Start" />
          <bpmn:intermediateCatchEvent id="Wait"><bpmn:messageEventDefinition id="MD" messageRef="M" /></bpmn:intermediateCatchEvent>
          <bpmn:endEvent id="Fail"><bpmn:errorEventDefinition id="ED" errorRef="E" /></bpmn:endEvent>
          <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Wait" />
          <bpmn:sequenceFlow id="F2" sourceRef="Wait" targetRef="Fail" />
        </bpmn:process>
      </bpmn:definitions>`;

    const model = expectModel(await compileProcess(xml));

    expect(model.elements['Wait']).toMatchObject({
      event: { type: 'message', messageName: 'documents-received', correlationKey: 'caseNumber' },
    });
    expect(model.elements['Fail']).toMatchObject({ event: { type: 'error', errorCode: 'INCOMPLETE' } });
  });

  it('records, for an inclusive join, from where tokens can still reach each incoming flow', async () => {
    const xml = bpmn(`
      <bpmn:startEvent id="Start" />
      <bpmn:inclusiveGateway id="Fork" />
      <bpmn:manualTask id="A" />
      <bpmn:manualTask id="B1" />
      <bpmn:manualTask id="B2" />
      <bpmn:inclusiveGateway id="Join" />
      <bpmn:endEvent id="End" />
      <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Fork" />
      <bpmn:sequenceFlow id="FA" sourceRef="Fork" targetRef="A"><bpmn:conditionExpression>=a</bpmn:conditionExpression></bpmn:sequenceFlow>
      <bpmn:sequenceFlow id="FB" sourceRef="Fork" targetRef="B1"><bpmn:conditionExpression>=b</bpmn:conditionExpression></bpmn:sequenceFlow>
      <bpmn:sequenceFlow id="FB2" sourceRef="B1" targetRef="B2" />
      <bpmn:sequenceFlow id="JA" sourceRef="A" targetRef="Join" />
      <bpmn:sequenceFlow id="JB" sourceRef="B2" targetRef="Join" />
      <bpmn:sequenceFlow id="F2" sourceRef="Join" targetRef="End" />`);

    const model = expectModel(await compileProcess(xml));

    expect(model.elements['Join']).toMatchObject({
      joinSources: { JA: ['A', 'Fork', 'Start'], JB: ['B2', 'B1', 'Fork', 'Start'] },
    });
  });

  it('connects a link throw event to the catch event of the same name', async () => {
    const xml = bpmn(`
      <bpmn:startEvent id="Start" />
      <bpmn:intermediateThrowEvent id="Go"><bpmn:linkEventDefinition id="L1" name="next" /></bpmn:intermediateThrowEvent>
      <bpmn:intermediateCatchEvent id="Next"><bpmn:linkEventDefinition id="L2" name="next" /></bpmn:intermediateCatchEvent>
      <bpmn:endEvent id="End" />
      <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Go" />
      <bpmn:sequenceFlow id="F2" sourceRef="Next" targetRef="End" />`);

    const model = expectModel(await compileProcess(xml));

    expect(model.elements['Go']).toMatchObject({ event: { type: 'link', linkName: 'next', targetId: 'Next' } });
  });

  it('compiles the permit guidance test model without warnings', async () => {
    const xml = readFileSync(new URL('../interpreter/fixtures/permit-guidance.bpmn', import.meta.url), 'utf8');

    expect(await compileProcess(xml)).toMatchObject({ ok: true, warnings: [] });
  });

  it('runs the executable pool of a collaboration and names message flows as documentation, as Zeebe does', async () => {
    const xml = readFileSync(
      new URL('../../test/conformance/collaboration/collaboration.bpmn', import.meta.url),
      'utf8',
    );

    const result = await compileProcess(xml);

    expect(expectModel(result).elements['Task_Answer']).toMatchObject({ kind: 'userTask' });
    expect(result.ok && result.warnings).toContainEqual({
      elementId: 'Collaboration_Agency',
      elementType: 'bpmn:Collaboration',
      message: expect.stringContaining('message flows are ignored at run time'),
    });
  });
});

describe('compileService: called processes and decisions', () => {
  const called = `<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D2">
      <bpmn:process id="statement" name="Stellungnahme" isExecutable="true">
        <bpmn:startEvent id="Start" />
        <bpmn:manualTask id="Write" />
        <bpmn:endEvent id="End" />
        <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Write" />
        <bpmn:sequenceFlow id="F2" sourceRef="Write" targetRef="End" />
      </bpmn:process>
    </bpmn:definitions>`;
  const caller = bpmn(`
      <bpmn:startEvent id="Start" />
      <bpmn:callActivity id="Call">
        <bpmn:extensionElements><zeebe:calledElement processId="statement" propagateAllChildVariables="false" /></bpmn:extensionElements>
      </bpmn:callActivity>
      <bpmn:endEvent id="End" />
      <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Call" />
      <bpmn:sequenceFlow id="F2" sourceRef="Call" targetRef="End" />`);

  it('adds the called process with keys prefixed by its process id, next to the main process', async () => {
    const model = expectModel(await compileService({ bpmn: [caller, called], dmn: [] }));

    expect(model.startEventId).toBe('Start');
    expect(model.calledProcesses).toEqual({
      statement: {
        processId: 'statement',
        name: 'Stellungnahme',
        startEventId: 'statement/Start',
        eventSubProcessIds: [],
      },
    });
    expect(model.elements['Call']).toMatchObject({
      kind: 'callActivity',
      calledProcessId: 'statement',
      propagateAllParentVariables: true,
      propagateAllChildVariables: false,
    });
    expect(model.elements['statement/Write']).toEqual({
      kind: 'manualTask',
      id: 'statement/Write',
      processId: 'statement',
      incoming: ['statement/F1'],
      outgoing: ['statement/F2'],
    });
    expect(model.flows['statement/F1']).toEqual({
      id: 'statement/F1',
      sourceId: 'statement/Start',
      targetId: 'statement/Write',
    });
  });

  it('names the DMN file and decision of a decision that does not compile', async () => {
    const result = await compileService({ bpmn: [caller, called], dmn: ['<definitions'] });

    expect(expectErrors(result)[0]?.message).toMatch(/^DMN file 1: /);
  });

  it('names the BPMN file that cannot be read', async () => {
    const result = await compileService({ bpmn: [caller, '<nope'], dmn: [] });

    expect(expectErrors(result)[0]?.message).toMatch(/^BPMN file 2 cannot be read: /);
  });
});

describe('compileProcess: rejected BPMN, one fixture per rule', () => {
  const rules: { rule: string; errors: CompileIssue[] }[] = [
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
          message: 'conditions are only supported on sequence flows leaving an exclusive or inclusive gateway',
        },
      ],
    },
    {
      rule: 'two-processes',
      errors: [
        {
          elementId: 'process-b',
          elementType: 'bpmn:Process',
          message:
            'the file contains 2 executable processes (process-a, process-b); a service has exactly one ' +
            '(put called processes into their own files)',
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
          message: 'extension element <zeebe:executionListeners> is not supported on this element (yet)',
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
      rule: 'complex-gateway',
      errors: [
        {
          elementId: 'Gateway_Complex',
          elementType: 'bpmn:ComplexGateway',
          message: 'complex gateways are not supported; use an inclusive gateway',
        },
      ],
    },
    {
      rule: 'transaction',
      errors: [
        {
          elementId: 'Transaction_Booking',
          elementType: 'bpmn:Transaction',
          message: 'transactions are not supported; use an embedded sub-process with an error boundary event',
        },
      ],
    },
    {
      rule: 'timer-start-event',
      errors: [
        {
          elementId: 'Start_Daily',
          elementType: 'bpmn:StartEvent',
          message:
            'timer start events are not supported; a case starts at its none start event; ' +
            'use an event sub-process for timer, message, signal or error starts, or a signal catch event after the start',
        },
      ],
    },
    {
      rule: 'message-end-event',
      errors: [
        {
          elementId: 'End_Notify',
          elementType: 'bpmn:EndEvent',
          message: 'a message throw event needs zeebe:taskDefinition: a job sends the message',
        },
      ],
    },
    {
      rule: 'signal-boundary-event',
      errors: [
        {
          elementId: 'Boundary_Recall',
          elementType: 'bpmn:BoundaryEvent',
          message: 'the event references no signal; add a bpmn:signal with a name',
        },
      ],
    },
    {
      rule: 'compensation-boundary-event',
      errors: [
        {
          elementId: 'Boundary_Undo',
          elementType: 'bpmn:BoundaryEvent',
          message: 'compensation events are not supported; model the undo steps as tasks after an error boundary event',
        },
      ],
    },
    {
      rule: 'non-interrupting-error-boundary',
      errors: [
        {
          elementId: 'Boundary_Error',
          elementType: 'bpmn:BoundaryEvent',
          message: 'an error boundary event always interrupts; make it interrupting',
        },
      ],
    },
    {
      rule: 'escalation-boundary-on-task',
      errors: [
        {
          elementId: 'Boundary_Escalated',
          elementType: 'bpmn:BoundaryEvent',
          message:
            'an escalation boundary event catches escalations thrown inside a sub-process or call activity; ' +
            'attach it to one',
        },
      ],
    },
    {
      rule: 'timer-cycle-intermediate',
      errors: [
        {
          elementId: 'Timer_Wait',
          elementType: 'bpmn:IntermediateCatchEvent',
          message: 'an intermediate timer event cannot repeat (timeCycle); use timeDuration or timeDate',
        },
      ],
    },
    {
      rule: 'timer-duration',
      errors: [
        {
          elementId: 'Timer_Wait',
          elementType: 'bpmn:IntermediateCatchEvent',
          message: 'the timeDuration is invalid: "5 days" is not an ISO-8601 duration like PT5M, P5D or P1M',
        },
      ],
    },
    {
      rule: 'cron-timer-cycle',
      errors: [
        {
          elementId: 'Boundary_Daily',
          elementType: 'bpmn:BoundaryEvent',
          message:
            'the timeCycle is invalid: "0 0 9 * * ?" is not an ISO-8601 repeating interval like R3/P1D or R/PT1H; ' +
            'cron is not supported',
        },
      ],
    },
    {
      rule: 'error-end-event-without-code',
      errors: [
        {
          elementId: 'End_Failed',
          elementType: 'bpmn:EndEvent',
          message: 'a thrown error needs a bpmn:error with an errorCode',
        },
      ],
    },
    {
      rule: 'message-without-correlation-key',
      errors: [
        {
          elementId: 'Catch_Documents',
          elementType: 'bpmn:IntermediateCatchEvent',
          message: 'the message needs zeebe:subscription correlationKey, e.g. "=caseNumber"',
        },
      ],
    },
    {
      rule: 'event-gateway-to-task',
      errors: [
        {
          elementId: 'Gateway_Race',
          elementType: 'bpmn:EventBasedGateway',
          message: 'an event-based gateway can only lead to timer or message catch events, not to Task_Review',
        },
      ],
    },
    {
      rule: 'event-sub-process-none-start',
      errors: [
        {
          elementId: 'Start_Cancel',
          elementType: 'bpmn:StartEvent',
          message:
            'a start event needs an event definition; use a timer, message, signal, error or escalation start event',
        },
      ],
    },
    {
      rule: 'link-without-catch',
      errors: [
        {
          elementId: 'Link_ToReview',
          elementType: 'bpmn:IntermediateThrowEvent',
          message: 'there is no link catch event named "review" in the same scope',
        },
      ],
    },
    {
      rule: 'multi-instance-without-collection',
      errors: [
        {
          elementId: 'Task_Review',
          elementType: 'bpmn:UserTask',
          message: 'a multi-instance activity needs zeebe:loopCharacteristics with an inputCollection',
        },
      ],
    },
    {
      rule: 'loop-marker',
      errors: [
        {
          elementId: 'Task_Review',
          elementType: 'bpmn:UserTask',
          message: 'loop markers are not supported; use multi-instance, or a gateway that loops back',
        },
      ],
    },
    {
      rule: 'called-process-missing',
      errors: [
        {
          elementId: 'Call_Statement',
          elementType: 'bpmn:CallActivity',
          message: `the called process "statement" is not among the service's BPMN files`,
        },
      ],
    },
    {
      rule: 'decision-missing',
      errors: [
        {
          elementId: 'Rule_Eligibility',
          elementType: 'bpmn:BusinessRuleTask',
          message: `the decision "eligibility" is not among the service's DMN files`,
        },
      ],
    },
    {
      rule: 'script-without-result-variable',
      errors: [
        {
          elementId: 'Script_Total',
          elementType: 'bpmn:ScriptTask',
          message: 'zeebe:script needs a resultVariable to store the result in',
        },
      ],
    },
    {
      rule: 'flow-across-sub-process',
      errors: [
        {
          elementId: 'Flow_Out',
          elementType: 'bpmn:SequenceFlow',
          message: 'the sequence flow crosses the border of a sub-process; connect to the sub-process itself',
        },
      ],
    },
    {
      rule: 'io-mapping-target',
      errors: [
        {
          elementId: 'Task_Review',
          elementType: 'bpmn:UserTask',
          message: 'the input mapping target "applicant name" is not a variable name or a path like "order.status"',
        },
      ],
    },
    {
      rule: 'priority-out-of-range',
      errors: [
        {
          elementId: 'Task_Review',
          elementType: 'bpmn:UserTask',
          message: 'the priority must be a whole number from 0 to 100, not "150"',
        },
      ],
    },
    {
      rule: 'due-date',
      errors: [
        {
          elementId: 'Task_Review',
          elementType: 'bpmn:UserTask',
          message:
            'the due date is invalid: "2025-03-10" is not an ISO-8601 date-time with offset like 2025-03-01T09:00:00+01:00',
        },
      ],
    },
    {
      rule: 'feel-assignment-syntax',
      errors: [
        {
          elementId: 'Task_Review',
          elementType: 'bpmn:UserTask',
          message:
            'candidateGroups is not valid FEEL: FEEL expression "reviewerGroups +" is invalid: the expression ends too early',
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
