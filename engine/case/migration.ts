/**
 * Moving a running case to a newer version of its service (pure, ADR 0020). `planMigration` looks at one case's
 * interpreter state and says whether it can move and why not; when it can, it returns the moved state. The
 * migration service runs it for the dry run, the case workflow runs it again in its `migrate` update, so what the
 * dry run promised is what the workflow checks.
 *
 * Strict by design: whatever is not understood here keeps the case on its version. A case moves only when every
 * active element maps to an element of the same kind on the process level, a job in flight keeps its job, a
 * waiting event keeps its id and definition, the boundary events around a waiting activity stay as they were, and
 * an open task's form keeps every field it had.
 */
import type { FormSchema } from '../../forms/model.js';
import { inputComponents } from '../../forms/components.js';
import type { CaseState, Token } from '../interpreter/types.js';
import { isActivity, jobOf, type ProcessElement, type ProcessModel } from '../model/process-model.js';
import { openRequests } from './information-request.js';

/** Source element id → target element id. Elements not in the map keep their id if the target has it. */
export type ElementMapping = Record<string, string>;

/** Why a case cannot move, in both languages, naming the element. */
export interface MigrationReason {
  de: string;
  en: string;
  elementId?: string;
}

/** One active element of the case and where the mapping puts it. */
export interface ActiveElementMove {
  elementId: string;
  name?: string;
  kind: string;
  /** Absent: no element of the target version takes it. */
  targetId?: string;
  targetName?: string;
}

/** An open user task after the move: the read model's task row follows it (element, name, form). */
export interface MovedTask {
  tokenId: string;
  elementId: string;
  name?: string;
  formId?: string;
}

export type MigrationPlan =
  | { canMove: true; active: ActiveElementMove[]; state: CaseState; movedTasks: MovedTask[] }
  | { canMove: false; active: ActiveElementMove[]; reasons: MigrationReason[] };

export interface MigrationInput {
  state: CaseState;
  from: ProcessModel;
  fromForms: Record<string, FormSchema>;
  to: ProcessModel;
  toForms: Record<string, FormSchema>;
  mapping?: ElementMapping;
}

/** Where the mapping puts an element: its explicit entry, else the same id if the target has it. */
export function targetOf(elementId: string, to: ProcessModel, mapping: ElementMapping = {}): string | undefined {
  const mapped = mapping[elementId];
  if (mapped !== undefined && mapped !== '') return to.elements[mapped] ? mapped : undefined;
  return to.elements[elementId] ? elementId : undefined;
}

/** The elements of the target a source element may map to: same kind, on the process level or with its id. */
export function mappableTargets(element: ProcessElement, to: ProcessModel): ProcessElement[] {
  return Object.values(to.elements).filter(
    (candidate) =>
      candidate.kind === element.kind && ((!candidate.parentId && !candidate.processId) || candidate.id === element.id),
  );
}

/** The element ids a case is active at: its tokens, and the events it waits for. */
export function activeElementIds(state: CaseState): string[] {
  const ids = [
    ...state.tokens.map((token) => token.elementId),
    ...(state.timers ?? []).map((timer) => timer.elementId),
    ...(state.subscriptions ?? []).map((subscription) => subscription.elementId),
    ...(state.signalSubscriptions ?? []).map((subscription) => subscription.elementId),
  ];
  return [...new Set(ids)];
}

export function planMigration(input: MigrationInput): MigrationPlan {
  const { state, from, to, mapping = {} } = input;
  const reasons: MigrationReason[] = [];
  const refuse = (elementId: string | undefined, de: string, en: string) => reasons.push({ de, en, elementId });
  const label = (model: ProcessModel, id: string) => {
    const name = model.elements[id]?.name;
    return name && name !== id ? `„${name}“ (${id})` : id;
  };
  const labelEn = (model: ProcessModel, id: string) => {
    const name = model.elements[id]?.name;
    return name && name !== id ? `"${name}" (${id})` : id;
  };

  const active: ActiveElementMove[] = activeElementIds(state).map((elementId) => {
    const element = from.elements[elementId];
    const targetId = targetOf(elementId, to, mapping);
    return {
      elementId,
      name: element?.name,
      kind: element?.kind ?? 'unknown',
      targetId,
      targetName: targetId ? to.elements[targetId]?.name : undefined,
    };
  });

  if (state.status !== 'active') {
    refuse(
      undefined,
      state.status === 'completed' ? 'Der Fall ist abgeschlossen.' : 'Der Fall hat einen offenen Fehler.',
      state.status === 'completed' ? 'The case is completed.' : 'The case has an open incident.',
    );
  }
  for (const incident of state.incidents.filter((open) => !open.resolved)) {
    refuse(
      incident.elementId,
      `Offener Fehler an ${label(from, incident.elementId)}: erst beheben, dann migrieren.`,
      `Open incident at ${labelEn(from, incident.elementId)}: resolve it before migrating.`,
    );
  }

  // Every active element needs a place of the same kind in the target.
  const targets = new Map<string, ProcessElement>();
  for (const move of active) {
    const source = from.elements[move.elementId];
    const target = move.targetId ? to.elements[move.targetId] : undefined;
    if (!source || !target) {
      refuse(
        move.elementId,
        `${label(from, move.elementId)} ist aktiv und hat in der neuen Version keine Entsprechung.`,
        `${labelEn(from, move.elementId)} is active and has no counterpart in the new version.`,
      );
    } else if (source.kind !== target.kind) {
      refuse(
        move.elementId,
        `${label(from, move.elementId)} (${source.kind}) würde auf ${label(to, target.id)} (${target.kind}) abgebildet, ein Element anderer Art.`,
        `${labelEn(from, move.elementId)} (${source.kind}) would map to ${labelEn(to, target.id)} (${target.kind}), an element of another kind.`,
      );
    } else targets.set(move.elementId, target);
  }

  for (const token of state.tokens) checkToken(token);
  checkWaitingEvents();
  checkEventSubProcesses();
  checkRequests();

  if (reasons.length > 0) return { canMove: false, active, reasons: dedupe(reasons) };

  const moveId = (id: string) => targets.get(id)?.id ?? id;
  const movedTokens = state.tokens.map((token) => ({ ...token, elementId: moveId(token.elementId) }));
  const movedTasks: MovedTask[] = movedTokens.flatMap((token) => {
    const element = to.elements[token.elementId];
    return element?.kind === 'userTask'
      ? [{ tokenId: token.id, elementId: element.id, name: element.name, formId: element.formId }]
      : [];
  });
  return {
    canMove: true,
    active,
    movedTasks,
    state: { ...state, seq: state.seq + 1, tokens: movedTokens },
  };

  function checkToken(token: Token) {
    const source = from.elements[token.elementId];
    const target = targets.get(token.elementId);
    if (token.parentId || token.role || source?.parentId || source?.processId || source?.kind === 'subProcess') {
      refuse(
        token.elementId,
        `${label(from, token.elementId)} liegt in einem Unterprozess, einer Mehrfachinstanz oder einem aufgerufenen Prozess; solche Fälle bleiben auf ihrer Version.`,
        `${labelEn(from, token.elementId)} lies in a sub-process, a multi-instance body or a called process; such cases stay on their version.`,
      );
      return;
    }
    if (!source || !target) return;
    if (target.parentId || target.processId) {
      refuse(
        token.elementId,
        `${label(to, target.id)} liegt in einem Unterprozess; Migration in Unterprozesse wird nicht unterstützt.`,
        `${labelEn(to, target.id)} lies in a sub-process; migrating into sub-processes is not supported.`,
      );
    }
    if (isActivity(source) && source.multiInstance) {
      refuse(
        token.elementId,
        `${label(from, token.elementId)} ist eine Mehrfachinstanz; sie wird nicht migriert.`,
        `${labelEn(from, token.elementId)} is a multi-instance activity; it is not migrated.`,
      );
    }
    if (isActivity(target) && target.multiInstance) {
      refuse(
        token.elementId,
        `${label(to, target.id)} ist in der neuen Version eine Mehrfachinstanz.`,
        `${labelEn(to, target.id)} is a multi-instance activity in the new version.`,
      );
    }
    // A job in flight was started with the old definition; it finishes against the new element.
    if (!sameJson(jobOf(source), jobOf(target))) {
      refuse(
        token.elementId,
        `Für ${label(from, token.elementId)} läuft ein Auftrag, dessen Definition sich ändert (Typ, Kopfwerte oder Wiederholungen).`,
        `A job is running for ${labelEn(from, token.elementId)} whose definition changes (type, headers or retries).`,
      );
    }
    // Boundary events were subscribed when the activity was entered; a change would leave them stale.
    if (!sameBoundaries(source, target)) {
      refuse(
        token.elementId,
        `Die Randereignisse von ${label(from, token.elementId)} ändern sich; sie wurden beim Betreten geöffnet und würden nicht passen.`,
        `The boundary events of ${labelEn(from, token.elementId)} change; they were opened on entry and would not fit.`,
      );
    }
    // A joining gateway remembers the flow a token arrived on.
    if (token.arrivedVia && !target.incoming.includes(token.arrivedVia)) {
      refuse(
        token.elementId,
        `Das Gateway ${label(to, target.id)} hat den Eingang ${token.arrivedVia} nicht mehr, über den ein Token wartet.`,
        `The gateway ${labelEn(to, target.id)} no longer has the incoming flow ${token.arrivedVia} a token waits on.`,
      );
    }
    if (source.kind === 'userTask' && target.kind === 'userTask') checkForm(token, source.formId, target.formId);
  }

  function checkForm(token: Token, fromFormId: string | undefined, toFormId: string | undefined) {
    const before = fromFormId ? input.fromForms[fromFormId] : undefined;
    if (!before) return;
    const after = toFormId ? input.toForms[toFormId] : undefined;
    const afterFields = new Map((after ? inputComponents(after) : []).map((field) => [field.key, field.type]));
    const lost = inputComponents(before).filter((field) => afterFields.get(field.key) !== field.type);
    if (lost.length > 0) {
      const keys = lost.map((field) => field.key).join(', ');
      refuse(
        token.elementId,
        `Das Formular der offenen Aufgabe ${label(from, token.elementId)} verliert Felder oder ändert ihren Typ: ${keys}.`,
        `The form of the open task ${labelEn(from, token.elementId)} loses fields or changes their type: ${keys}.`,
      );
    }
  }

  /** Timers and subscriptions keep their element id and definition: their due time and key were computed from it. */
  function checkWaitingEvents() {
    const waiting = [...(state.timers ?? []), ...(state.subscriptions ?? []), ...(state.signalSubscriptions ?? [])];
    for (const { elementId } of waiting) {
      const target = targets.get(elementId);
      if (!target) continue;
      if (target.id !== elementId || !sameJson(eventOf(from.elements[elementId]), eventOf(target))) {
        refuse(
          elementId,
          `Das wartende Ereignis ${label(from, elementId)} müsste seine ID behalten und unverändert bleiben (Zeit oder Nachricht).`,
          `The waiting event ${labelEn(from, elementId)} would have to keep its id and stay unchanged (time or message).`,
        );
      }
    }
  }

  /** Event sub-processes on the process level listen for the whole case: the same ones, unchanged. */
  function checkEventSubProcesses() {
    const starts = (model: ProcessModel) =>
      (model.eventSubProcessIds ?? []).map((id) => {
        const sub = model.elements[id];
        const start = sub?.kind === 'subProcess' ? model.elements[sub.startEventId] : undefined;
        return { id, start };
      });
    if (!sameJson(starts(from), starts(to))) {
      refuse(
        undefined,
        'Die Ereignis-Unterprozesse auf Prozessebene ändern sich; ihre Abonnements liefen mit der alten Version.',
        'The event sub-processes on the process level change; their subscriptions ran with the old version.',
      );
    }
  }

  /** A Rückfrage names the staff task it waits on by element id. */
  function checkRequests() {
    for (const request of openRequests(state)) {
      const target = targets.get(request.staffElementId);
      if (target && target.id !== request.staffElementId) {
        refuse(
          request.staffElementId,
          `Zur Aufgabe ${label(from, request.staffElementId)} ist eine Rückfrage offen; die Aufgabe müsste ihre ID behalten.`,
          `A Rückfrage is open on the task ${labelEn(from, request.staffElementId)}; the task would have to keep its id.`,
        );
      }
    }
  }

  function sameBoundaries(source: ProcessElement, target: ProcessElement): boolean {
    const boundaries = (model: ProcessModel, element: ProcessElement) =>
      (isActivity(element) ? (element.boundaryEventIds ?? []) : []).map((id) => {
        const boundary = model.elements[id];
        return boundary?.kind === 'boundaryEvent'
          ? { id, interrupting: boundary.interrupting, event: boundary.event }
          : { id };
      });
    return sameJson(boundaries(from, source), boundaries(to, target));
  }
}

function eventOf(element: ProcessElement | undefined): unknown {
  if (!element) return undefined;
  if (element.kind === 'receiveTask') return element.message;
  return 'event' in element ? element.event : undefined;
}

/** Structural equality of model JSON (plain data; key order as the compiler writes it does not matter). */
function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, entry]) => entry !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([key, entry]) => [key, canonical(entry)]),
    );
  }
  return value;
}

function dedupe(reasons: MigrationReason[]): MigrationReason[] {
  const seen = new Set<string>();
  return reasons.filter((reason) => !seen.has(reason.de) && Boolean(seen.add(reason.de)));
}
