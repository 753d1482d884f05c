import { describe, expect, it } from 'vitest';
import type { FormSchema } from '../../forms/schema.js';
import { CaseDriver, bpmn, compile } from '../interpreter/test-driver.js';
import type { ProcessModel } from '../model/process-model.js';
import { checkInformationRequest, openRequest } from './information-request.js';
import { planMigration, mappableTargets, type MigrationPlan } from './migration.js';

/** A process of elements in a row: Start → …elements → End, flows between them generated. */
async function chain(...elements: { id: string; xml: string }[]): Promise<ProcessModel> {
  const ids = ['Start', ...elements.map((element) => element.id), 'End'];
  const flows = ids
    .slice(1)
    .map((id, index) => `<bpmn:sequenceFlow id="f_${ids[index]}_${id}" sourceRef="${ids[index]}" targetRef="${id}" />`);
  return compile(
    bpmn(`<bpmn:startEvent id="Start" />${elements.map((element) => element.xml).join('')}
      <bpmn:endEvent id="End" />${flows.join('')}`),
  );
}

const userTask = (id: string, formId = 'review-form', name = id) => ({
  id,
  xml: `<bpmn:userTask id="${id}" name="${name}"><bpmn:extensionElements>
      <zeebe:assignmentDefinition candidateGroups="wirtschaftsfoerderung" />
      <zeebe:formDefinition formId="${formId}" /></bpmn:extensionElements></bpmn:userTask>`,
});
const serviceTask = (id: string, subject = 'Hallo') => ({
  id,
  xml: `<bpmn:serviceTask id="${id}" name="Benachrichtigen"><bpmn:extensionElements>
      <zeebe:taskDefinition type="email" />
      <zeebe:taskHeaders><zeebe:header key="subject" value="${subject}" /></zeebe:taskHeaders>
    </bpmn:extensionElements></bpmn:serviceTask>`,
});
const timer = (id: string, duration = 'P5D') => ({
  id,
  xml: `<bpmn:intermediateCatchEvent id="${id}" name="Warten"><bpmn:timerEventDefinition>
      <bpmn:timeDuration>${duration}</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>`,
});
const receiveLike = (id: string) => ({ id, xml: `<bpmn:manualTask id="${id}" />` });

function form(id: string, fields: { key: string; type?: string }[]): FormSchema {
  return {
    id,
    type: 'default',
    schemaVersion: 16,
    components: fields.map(({ key, type = 'textfield' }) => ({ id: `Field_${key}`, type, key, label: key })),
  } as FormSchema;
}
const reviewForm = form('review-form', [{ key: 'note' }]);
const forms = { 'review-form': reviewForm };

function refused(plan: MigrationPlan) {
  if (plan.canMove) throw new Error('expected the case to be refused');
  return plan.reasons;
}
function moved(plan: MigrationPlan) {
  if (!plan.canMove) throw new Error(`expected the case to move: ${plan.reasons.map((r) => r.en).join('; ')}`);
  return plan;
}

describe('planMigration', () => {
  it('moves a case by equal element ids by default; an open user task keeps its token, variables and assignment', async () => {
    const v1 = await chain(userTask('Task_Review'));
    const v2 = await chain(userTask('Task_Review'), userTask('Task_Approve'));
    const run = new CaseDriver(v1).start({ subject: 'Halle' });
    const token = run.tokenAt('Task_Review');
    const plan = moved(planMigration({ state: run.state, from: v1, fromForms: forms, to: v2, toForms: forms }));
    expect(plan.state.seq).toBe(run.state.seq + 1);
    expect(plan.state.tokens).toEqual([token]);
    expect(plan.state.variables).toEqual(run.state.variables);
    expect(plan.movedTasks).toEqual([
      { tokenId: token.id, elementId: 'Task_Review', name: 'Task_Review', formId: 'review-form' },
    ]);
    expect(plan.active).toEqual([
      {
        elementId: 'Task_Review',
        name: 'Task_Review',
        kind: 'userTask',
        targetId: 'Task_Review',
        targetName: 'Task_Review',
      },
    ]);
    // The moved state runs on in the new version: the new task follows.
    const after = new CaseDriver(v2);
    after.state = plan.state;
    expect(after.completeTask('Task_Review', { note: 'ok' }).waitingAt()).toEqual(['Task_Approve']);
  });

  it('refuses a case whose active element has no counterpart, naming it in both languages', async () => {
    const v1 = await chain(userTask('Task_Old', 'review-form', 'Alte Prüfung'));
    const v2 = await chain(userTask('Task_New'));
    const run = new CaseDriver(v1).start();
    const reasons = refused(planMigration({ state: run.state, from: v1, fromForms: forms, to: v2, toForms: forms }));
    expect(reasons).toEqual([
      {
        elementId: 'Task_Old',
        de: '„Alte Prüfung“ (Task_Old) ist aktiv und hat in der neuen Version keine Entsprechung.',
        en: '"Alte Prüfung" (Task_Old) is active and has no counterpart in the new version.',
      },
    ]);
  });

  it('moves a mapped user task with its task data to the element it is mapped to', async () => {
    const v1 = await chain(userTask('Task_Old'));
    const v2 = await chain(userTask('Task_New', 'review-form', 'Neue Prüfung'));
    const run = new CaseDriver(v1).start();
    const token = run.tokenAt('Task_Old');
    const plan = moved(
      planMigration({
        state: run.state,
        from: v1,
        fromForms: forms,
        to: v2,
        toForms: forms,
        mapping: { Task_Old: 'Task_New' },
      }),
    );
    expect(plan.state.tokens).toEqual([{ ...token, elementId: 'Task_New' }]);
    expect(plan.movedTasks).toEqual([
      { tokenId: token.id, elementId: 'Task_New', name: 'Neue Prüfung', formId: 'review-form' },
    ]);
  });

  it('refuses a mapping to an element of another kind, and offers only elements of the same kind', async () => {
    const v1 = await chain(userTask('Task_Review'));
    const v2 = await chain(receiveLike('Task_Review'), userTask('Task_Other'));
    const run = new CaseDriver(v1).start();
    const reasons = refused(planMigration({ state: run.state, from: v1, fromForms: forms, to: v2, toForms: forms }));
    expect(reasons.map((reason) => reason.en)).toEqual([
      'Task_Review (userTask) would map to Task_Review (manualTask), an element of another kind.',
    ]);
    const element = v1.elements.Task_Review;
    expect(element && mappableTargets(element, v2).map((target) => target.id)).toEqual(['Task_Other']);
  });

  it('refuses a job in flight whose job definition changes, moves it when it stays', async () => {
    const v1 = await chain(serviceTask('Notify'));
    const run = new CaseDriver(v1).start();
    const changed = await chain(serviceTask('Notify', 'Guten Tag'));
    const reasons = refused(planMigration({ state: run.state, from: v1, fromForms: {}, to: changed, toForms: {} }));
    expect(reasons[0]?.de).toContain('läuft ein Auftrag');
    const same = await chain(serviceTask('Notify'), userTask('Task_After'));
    moved(planMigration({ state: run.state, from: v1, fromForms: {}, to: same, toForms: forms }));
  });

  it('refuses a waiting timer whose definition changes, moves it when it stays', async () => {
    const v1 = await chain(timer('Wait'));
    const run = new CaseDriver(v1).start();
    expect(run.state.timers).toHaveLength(1);
    const longer = await chain(timer('Wait', 'P10D'));
    const reasons = refused(planMigration({ state: run.state, from: v1, fromForms: {}, to: longer, toForms: {} }));
    expect(reasons[0]?.en).toContain('The waiting event "Warten" (Wait)');
    const plan = moved(
      planMigration({ state: run.state, from: v1, fromForms: {}, to: await chain(timer('Wait')), toForms: {} }),
    );
    expect(plan.state.timers).toEqual(run.state.timers);
  });

  it('refuses when the boundary events around a waiting task change', async () => {
    const withBoundary = (duration: string) =>
      compile(
        bpmn(`<bpmn:startEvent id="Start" />
          <bpmn:userTask id="Task_Review"><bpmn:extensionElements>
            <zeebe:assignmentDefinition candidateGroups="wirtschaftsfoerderung" />
            <zeebe:formDefinition formId="review-form" /></bpmn:extensionElements></bpmn:userTask>
          <bpmn:boundaryEvent id="Remind" attachedToRef="Task_Review" cancelActivity="false">
            <bpmn:timerEventDefinition><bpmn:timeDuration>${duration}</bpmn:timeDuration></bpmn:timerEventDefinition>
          </bpmn:boundaryEvent>
          <bpmn:endEvent id="End" /><bpmn:endEvent id="End_Remind" />
          <bpmn:sequenceFlow id="f1" sourceRef="Start" targetRef="Task_Review" />
          <bpmn:sequenceFlow id="f2" sourceRef="Task_Review" targetRef="End" />
          <bpmn:sequenceFlow id="f3" sourceRef="Remind" targetRef="End_Remind" />`),
      );
    const v1 = await chain(userTask('Task_Review'));
    const run = new CaseDriver(v1).start();
    const reasons = refused(
      planMigration({ state: run.state, from: v1, fromForms: forms, to: await withBoundary('P3D'), toForms: forms }),
    );
    expect(reasons.map((reason) => reason.en)).toEqual([
      'The boundary events of Task_Review change; they were opened on entry and would not fit.',
    ]);
    // The other way round: the timer waits on the boundary event, which v1's plain task no longer has.
    const b1 = await withBoundary('P3D');
    const waiting = new CaseDriver(b1).start();
    const back = refused(
      planMigration({ state: waiting.state, from: b1, fromForms: {}, to: await withBoundary('P5D'), toForms: {} }),
    );
    expect(back.map((reason) => reason.elementId)).toEqual(['Task_Review', 'Remind']);
  });

  it("refuses when an open task's form loses a field or changes its type; added fields are fine", async () => {
    const v1 = await chain(userTask('Task_Review'));
    const run = new CaseDriver(v1).start();
    const plan = (toForm: FormSchema) =>
      planMigration({ state: run.state, from: v1, fromForms: forms, to: v1, toForms: { 'review-form': toForm } });
    expect(refused(plan(form('review-form', [{ key: 'comment' }])))[0]?.en).toBe(
      'The form of the open task Task_Review loses fields or changes their type: note.',
    );
    expect(refused(plan(form('review-form', [{ key: 'note', type: 'number' }])))[0]?.de).toContain('note');
    moved(plan(form('review-form', [{ key: 'note' }, { key: 'comment' }])));
  });

  it('refuses multi-instance bodies and sub-process scopes', async () => {
    const multi = await compile(
      bpmn(`<bpmn:startEvent id="Start" />
        <bpmn:userTask id="Task_Statement"><bpmn:extensionElements>
          <zeebe:assignmentDefinition candidateGroups="=department" /></bpmn:extensionElements>
          <bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements>
            <zeebe:loopCharacteristics inputCollection="=departments" inputElement="department" />
          </bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics>
        </bpmn:userTask>
        <bpmn:endEvent id="End" />
        <bpmn:sequenceFlow id="f1" sourceRef="Start" targetRef="Task_Statement" />
        <bpmn:sequenceFlow id="f2" sourceRef="Task_Statement" targetRef="End" />`),
    );
    const run = new CaseDriver(multi).start({ departments: ['bau', 'umwelt'] });
    const reasons = refused(planMigration({ state: run.state, from: multi, fromForms: {}, to: multi, toForms: {} }));
    expect(reasons[0]?.en).toContain('multi-instance');

    const sub = await compile(
      bpmn(`<bpmn:startEvent id="Start" />
        <bpmn:subProcess id="Sub"><bpmn:startEvent id="Sub_Start" />
          <bpmn:userTask id="Sub_Task" /><bpmn:endEvent id="Sub_End" />
          <bpmn:sequenceFlow id="s1" sourceRef="Sub_Start" targetRef="Sub_Task" />
          <bpmn:sequenceFlow id="s2" sourceRef="Sub_Task" targetRef="Sub_End" />
        </bpmn:subProcess>
        <bpmn:endEvent id="End" />
        <bpmn:sequenceFlow id="f1" sourceRef="Start" targetRef="Sub" />
        <bpmn:sequenceFlow id="f2" sourceRef="Sub" targetRef="End" />`),
    );
    const inSub = new CaseDriver(sub).start();
    const subReasons = refused(planMigration({ state: inSub.state, from: sub, fromForms: {}, to: sub, toForms: {} }));
    expect(subReasons.map((reason) => reason.elementId)).toEqual(['Sub', 'Sub_Task']);
  });

  it('moves a case waiting for a message when the event stays; refuses a renamed or changed one', async () => {
    const waitFor = (id: string, name = 'Unterlagen', key = '=caseNumber') =>
      compile(
        bpmn(
          `<bpmn:startEvent id="Start" />
          <bpmn:intermediateCatchEvent id="${id}"><bpmn:messageEventDefinition id="MD" messageRef="Msg" />
          </bpmn:intermediateCatchEvent>
          <bpmn:endEvent id="End" />
          <bpmn:sequenceFlow id="f1" sourceRef="Start" targetRef="${id}" />
          <bpmn:sequenceFlow id="f2" sourceRef="${id}" targetRef="End" />`,
          `<bpmn:message id="Msg" name="${name}"><bpmn:extensionElements>
            <zeebe:subscription correlationKey="${key}" /></bpmn:extensionElements></bpmn:message>`,
        ),
      );
    const v1 = await waitFor('Wait_Documents');
    const run = new CaseDriver(v1).start({ caseNumber: 'WF-1' });
    expect(run.state.subscriptions).toHaveLength(1);
    const same = moved(
      planMigration({ state: run.state, from: v1, fromForms: {}, to: await waitFor('Wait_Documents'), toForms: {} }),
    );
    expect(same.state.subscriptions).toEqual(run.state.subscriptions);

    const renamed = await waitFor('Wait_Papers');
    const reasons = refused(
      planMigration({
        state: run.state,
        from: v1,
        fromForms: {},
        to: renamed,
        toForms: {},
        mapping: { Wait_Documents: 'Wait_Papers' },
      }),
    );
    expect(reasons.map((reason) => reason.en)).toEqual([
      'The waiting event Wait_Documents would have to keep its id and stay unchanged (time or message).',
    ]);
    const otherMessage = await waitFor('Wait_Documents', 'Nachweise');
    expect(
      refused(planMigration({ state: run.state, from: v1, fromForms: {}, to: otherMessage, toForms: {} })),
    ).toHaveLength(1);
  });

  it('refuses a joining gateway whose incoming flow a token waits on is gone', async () => {
    const split = (flowFromA: string) =>
      compile(
        bpmn(`<bpmn:startEvent id="Start" />
          <bpmn:parallelGateway id="Split" />
          <bpmn:userTask id="Task_A" /><bpmn:userTask id="Task_B" />
          <bpmn:parallelGateway id="Join" />
          <bpmn:endEvent id="End" />
          <bpmn:sequenceFlow id="f1" sourceRef="Start" targetRef="Split" />
          <bpmn:sequenceFlow id="f2" sourceRef="Split" targetRef="Task_A" />
          <bpmn:sequenceFlow id="f3" sourceRef="Split" targetRef="Task_B" />
          <bpmn:sequenceFlow id="${flowFromA}" sourceRef="Task_A" targetRef="Join" />
          <bpmn:sequenceFlow id="fromB" sourceRef="Task_B" targetRef="Join" />
          <bpmn:sequenceFlow id="f6" sourceRef="Join" targetRef="End" />`),
      );
    const v1 = await split('fromA');
    const run = new CaseDriver(v1).start().completeTask('Task_A');
    expect(run.waitingAt().sort()).toEqual(['Join', 'Task_B']);
    moved(planMigration({ state: run.state, from: v1, fromForms: {}, to: await split('fromA'), toForms: {} }));
    const reasons = refused(
      planMigration({ state: run.state, from: v1, fromForms: {}, to: await split('fromTaskA'), toForms: {} }),
    );
    expect(reasons[0]?.de).toBe('Das Gateway Join hat den Eingang fromA nicht mehr, über den ein Token wartet.');
  });

  it('refuses when the event sub-processes on the process level change', async () => {
    const withEventSub = (messageName: string | undefined) =>
      compile(
        bpmn(
          `<bpmn:startEvent id="Start" />
          <bpmn:userTask id="Task_Review" />
          <bpmn:endEvent id="End" />
          <bpmn:sequenceFlow id="f1" sourceRef="Start" targetRef="Task_Review" />
          <bpmn:sequenceFlow id="f2" sourceRef="Task_Review" targetRef="End" />
          ${
            messageName
              ? `<bpmn:subProcess id="On_Withdrawal" triggeredByEvent="true">
            <bpmn:startEvent id="Withdrawn"><bpmn:messageEventDefinition id="MD" messageRef="Msg" /></bpmn:startEvent>
            <bpmn:endEvent id="Withdrawal_End" />
            <bpmn:sequenceFlow id="w1" sourceRef="Withdrawn" targetRef="Withdrawal_End" />
          </bpmn:subProcess>`
              : ''
          }`,
          messageName
            ? `<bpmn:message id="Msg" name="${messageName}"><bpmn:extensionElements>
            <zeebe:subscription correlationKey="=caseNumber" /></bpmn:extensionElements></bpmn:message>`
            : '',
        ),
      );
    const v1 = await withEventSub('Rücknahme');
    const run = new CaseDriver(v1).start({ caseNumber: 'WF-2' });
    // The event sub-process's subscription (no token) moves with an unchanged model.
    moved(
      planMigration({ state: run.state, from: v1, fromForms: {}, to: await withEventSub('Rücknahme'), toForms: {} }),
    );
    for (const to of [await withEventSub('Widerruf'), await withEventSub(undefined)]) {
      const reasons = refused(planMigration({ state: run.state, from: v1, fromForms: {}, to, toForms: {} }));
      expect(reasons.map((reason) => reason.en)).toContain(
        'The event sub-processes on the process level change; their subscriptions ran with the old version.',
      );
    }
  });

  it('refuses renaming a task on which a Rückfrage is open; keeping its id moves the case', async () => {
    const v1 = await chain(userTask('Task_Review'));
    const run = new CaseDriver(v1).start();
    const check = checkInformationRequest(
      { model: v1, state: run.state },
      {
        staffTokenId: run.tokenAt('Task_Review').id,
        actor: { kind: 'staff', id: 'c1', email: 'c@example.org', groups: ['wirtschaftsfoerderung'] },
        questions: ['Wie groß ist die Halle?'],
        documents: [],
        message: 'Bitte ergänzen.',
        deadline: '2026-12-21',
      },
      '2026-12-07',
    );
    if (!check.ok) throw new Error(check.message);
    const { state } = openRequest(run.state, check, '2026-12-07T10:00:00.000Z');
    const renamed = await chain(userTask('Task_Check'));
    const reasons = refused(
      planMigration({
        state,
        from: v1,
        fromForms: forms,
        to: renamed,
        toForms: forms,
        mapping: { Task_Review: 'Task_Check' },
      }),
    );
    expect(reasons.map((reason) => reason.en)).toEqual([
      'A Rückfrage is open on the task Task_Review; the task would have to keep its id.',
    ]);
    const plan = moved(planMigration({ state, from: v1, fromForms: forms, to: v1, toForms: forms }));
    expect(plan.state.variables).toEqual(state.variables);
  });

  it('refuses completed cases and cases with an open incident', async () => {
    const v1 = await chain(userTask('Task_Review'));
    const done = new CaseDriver(v1).start().completeTask('Task_Review');
    expect(refused(planMigration({ state: done.state, from: v1, fromForms: forms, to: v1, toForms: forms }))).toEqual([
      { de: 'Der Fall ist abgeschlossen.', en: 'The case is completed.', elementId: undefined },
    ]);
    const failing = await chain(serviceTask('Notify'));
    const broken = new CaseDriver(failing).start().failJob('Notify', 'SMTP down');
    const reasons = refused(
      planMigration({ state: broken.state, from: failing, fromForms: {}, to: failing, toForms: {} }),
    );
    expect(reasons.map((reason) => reason.en)).toEqual([
      'The case has an open incident.',
      'Open incident at "Benachrichtigen" (Notify): resolve it before migrating.',
    ]);
  });
});
