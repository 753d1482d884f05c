/** What compiling one process collects, shared by the compiler's parts. */
import type { IssueLog } from './issues.js';
import type { ModdleNode } from './moddle-reader.js';
import type { ProcessElement, SequenceFlow } from './process-model.js';

export interface ParsedFlow {
  flow: SequenceFlow;
  node: ModdleNode;
  /** The sub-process (model key) the flow is drawn in; absent on the process level. */
  parentId?: string;
}

export interface ProcessContext {
  readonly log: IssueLog;
  /** `''` for the main process, `<processId>/` for a called one: keys stay unique across files. */
  readonly prefix: string;
  /** Set for called processes only: every element records it. */
  readonly calledProcessId?: string;
  readonly elements: Record<string, ProcessElement>;
  readonly flows: ParsedFlow[];
  /** The BPMN node of every element by model key, for issues found later. */
  readonly nodes: Map<string, ModdleNode>;
  /** Processes the call activities call, with the call activity for issues. */
  readonly calls: { processId: string; node: ModdleNode }[];
  /** Decisions the business rule tasks evaluate. */
  readonly decisionRefs: { decisionId: string; node: ModdleNode }[];
}

export interface Container {
  /** Model key of the none start event (or, in an event sub-process, the triggered one). */
  startEventId?: string;
  eventSubProcessIds: string[];
}

/** The model key of a BPMN id in this process. */
export function keyOf(context: ProcessContext, id: string): string {
  return `${context.prefix}${id}`;
}
