/**
 * The compiled process model: plain JSON, produced by the compiler from BPMN + Zeebe extensions,
 * frozen into a service version and handed to every case as workflow input.
 * One type, one validator (`compile`); the interpreter trusts it.
 */

export const PROCESS_MODEL_FORMAT = 1;

/** Reserved candidate group: a user task with this group is done by the company, not by staff. */
export const APPLICANT_GROUP = 'applicant';

interface ElementBase {
  id: string;
  name?: string;
  /** Applicant-facing status label from `zeebe:properties` property `status`. */
  status?: string;
  incoming: string[];
  outgoing: string[];
}

export interface StartEventElement extends ElementBase {
  kind: 'startEvent';
  /** `zeebe:formDefinition formId` of the start form. */
  formId?: string;
}

export interface EndEventElement extends ElementBase {
  kind: 'endEvent';
}

export interface UserTaskElement extends ElementBase {
  kind: 'userTask';
  formId?: string;
  /** Static candidate groups; may include APPLICANT_GROUP. */
  candidateGroups: string[];
  /** Static assignee (user id / login), if any. */
  assignee?: string;
}

export interface ServiceTaskElement extends ElementBase {
  kind: 'serviceTask';
  /** `zeebe:taskDefinition type`: chooses the activity in the catalog. */
  taskType: string;
  retries: number;
  /** `zeebe:taskHeaders`: static strings. */
  headers: Record<string, string>;
}

export interface ExclusiveGatewayElement extends ElementBase {
  kind: 'exclusiveGateway';
  defaultFlow?: string;
}

export type ProcessElement =
  StartEventElement | EndEventElement | UserTaskElement | ServiceTaskElement | ExclusiveGatewayElement;

export type ElementKind = ProcessElement['kind'];

export interface SequenceFlow {
  id: string;
  name?: string;
  sourceId: string;
  targetId: string;
  /** FEEL expression without the leading `=`; absent for unconditional flows. */
  condition?: string;
}

export interface ProcessModel {
  format: typeof PROCESS_MODEL_FORMAT;
  processId: string;
  name?: string;
  startEventId: string;
  elements: Record<string, ProcessElement>;
  flows: Record<string, SequenceFlow>;
}
