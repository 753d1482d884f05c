import { describe, expect, it } from 'vitest';
import { compileProcess, type CompileResult } from './compile.js';

/** One user task with the given extension elements, in a process with the given process-level extensions. */
function bpmn(taskExtensions: string, processExtensions = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="Definitions_Forms" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="forms" isExecutable="true">
    ${processExtensions === '' ? '' : `<bpmn:extensionElements>${processExtensions}</bpmn:extensionElements>`}
    <bpmn:startEvent id="Start" />
    <bpmn:userTask id="Task">
      <bpmn:extensionElements>
        <zeebe:assignmentDefinition candidateGroups="caseworkers" />
        ${taskExtensions}
      </bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:endEvent id="End" />
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Task" />
    <bpmn:sequenceFlow id="F2" sourceRef="Task" targetRef="End" />
  </bpmn:process>
</bpmn:definitions>`;
}

function taskOf(result: CompileResult) {
  if (!result.ok) throw new Error(result.errors.map((issue) => issue.message).join('\n'));
  return result.model.elements['Task'];
}

const messages = (result: CompileResult) =>
  result.ok ? result.warnings.map((issue) => issue.message) : result.errors.map((issue) => issue.message);

describe('forms on user tasks (ADR 0034)', () => {
  it('links a form by formId, on a Camunda user task and on a job-worker user task alike', async () => {
    const camunda = await compileProcess(bpmn('<zeebe:userTask /><zeebe:formDefinition formId="review" />'));
    const jobWorker = await compileProcess(bpmn('<zeebe:formDefinition formId="review" />'));

    expect(taskOf(camunda)).toMatchObject({ kind: 'userTask', formId: 'review' });
    expect(taskOf(jobWorker)).toEqual(taskOf(camunda));
    expect(messages(camunda)).toEqual([]);
  });

  it('binds by deployment without a word, and says what it does instead of latest and versionTag', async () => {
    const deployment = await compileProcess(bpmn('<zeebe:formDefinition formId="review" bindingType="deployment" />'));
    const latest = await compileProcess(bpmn('<zeebe:formDefinition formId="review" bindingType="latest" />'));
    const versionTag = await compileProcess(
      bpmn('<zeebe:formDefinition formId="review" bindingType="versionTag" versionTag="v2" />'),
    );

    expect(messages(deployment)).toEqual([]);
    for (const result of [latest, versionTag]) {
      expect(taskOf(result)).toMatchObject({ formId: 'review' });
      expect(messages(result)).toEqual([
        expect.stringMatching(/Lotse binds every form when the service version is published/),
      ]);
    }
  });

  it('refuses a bindingType it does not know', async () => {
    const result = await compileProcess(bpmn('<zeebe:formDefinition formId="review" bindingType="newest" />'));

    expect(result.ok).toBe(false);
    expect(messages(result)).toEqual(['bindingType "newest" is unknown; use deployment, latest or versionTag']);
  });

  it('takes an embedded form (zeebe:userTaskForm) by its id and hands its JSON on', async () => {
    const json = '{"id":"Form_1","type":"default","schemaVersion":4,"components":[]}';
    const result = await compileProcess(
      bpmn(
        '<zeebe:formDefinition formKey="camunda-forms:bpmn:UserTaskForm_1" />',
        `<zeebe:userTaskForm id="UserTaskForm_1">${json.replaceAll('"', '&#34;')}</zeebe:userTaskForm>`,
      ),
    );

    expect(taskOf(result)).toMatchObject({ formId: 'UserTaskForm_1' });
    expect(result.ok && result.embeddedForms).toEqual({ UserTaskForm_1: json });
  });

  it('refuses an empty embedded form and one without id', async () => {
    const result = await compileProcess(
      bpmn('', '<zeebe:userTaskForm id="Empty"> </zeebe:userTaskForm><zeebe:userTaskForm>{}</zeebe:userTaskForm>'),
    );

    expect(messages(result)).toEqual(['the embedded form "Empty" is empty', 'a zeebe:userTaskForm has no id']);
  });

  it.each([
    ['externalReference', '<zeebe:formDefinition externalReference="https://forms.example.org/check" />'],
    ['a formKey of another form system', '<zeebe:formDefinition formKey="https://forms.example.org/check" />'],
  ])('compiles an external form (%s) without a form, with a warning', async (_case, extension) => {
    const result = await compileProcess(bpmn(extension));

    expect(taskOf(result)).not.toHaveProperty('formId');
    expect(taskOf(result)).toMatchObject({ externalForm: 'https://forms.example.org/check' });
    expect(messages(result)).toEqual([
      expect.stringContaining('the form is external ("https://forms.example.org/check"): Lotse shows no form'),
    ]);
  });

  it('refuses a form definition with two kinds of reference', async () => {
    const result = await compileProcess(
      bpmn('<zeebe:formDefinition formId="a" externalReference="https://x.example" />'),
    );

    expect(messages(result)).toEqual([
      'zeebe:formDefinition has more than one of formId, formKey and externalReference; keep one',
    ]);
  });
});
