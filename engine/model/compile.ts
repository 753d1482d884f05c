/**
 * BPMN 2.0 + Zeebe extensions (+ DMN) → ProcessModel. The compiler is the model's only validator: it accepts the
 * slice the interpreter can run and names the element of everything else, with the nearest supported
 * alternative, so a designer can fix the diagram. Nothing is silently ignored.
 *
 * A service is one main BPMN file, optionally more BPMN files with processes its call activities call, and DMN
 * files with the decisions its business rule tasks evaluate. All of it compiles into one model.
 */
import { BpmnModdle } from 'bpmn-moddle';
import zeebeDescriptor from 'zeebe-bpmn-moddle/resources/zeebe.json' with { type: 'json' };
import { compileDecisions } from '../dmn/decision.js';
import type { DecisionModel } from '../dmn/decision-model.js';
import type { ProcessContext } from './compile-context.js';
import { compileContainer } from './compile-elements.js';
import { attachBoundaryEvents, checkGraph, computeJoinSources, connect, resolveLinks } from './compile-graph.js';
import { IssueLog, oneLine, type CompileIssue } from './issues.js';
import { booleanOf, childrenOf, idOf, isModdleNode, stringOf, type ModdleNode } from './moddle-reader.js';
import {
  PROCESS_MODEL_FORMAT,
  type CalledProcess,
  type ProcessElement,
  type ProcessModel,
  type SequenceFlow,
} from './process-model.js';
import { embeddedFormsOf, rejectExtensions } from './zeebe-extensions.js';

export type { CompileIssue } from './issues.js';
export { DEFAULT_JOB_RETRIES } from './zeebe-extensions.js';

export type CompileResult =
  | {
      ok: true;
      model: ProcessModel;
      warnings: CompileIssue[];
      /** Forms embedded in the processes (`zeebe:userTaskForm`): JSON text by the id tasks name them by. */
      embeddedForms: Record<string, string>;
    }
  | { ok: false; errors: CompileIssue[] };

/** The files of a service: its BPMN files (the main one first) and its DMN files. */
export interface ServiceSources {
  bpmn: string[];
  dmn: string[];
}

/** Parses and validates a single BPMN file; never throws for bad input, every problem becomes an issue. */
export async function compileProcess(bpmnXml: string): Promise<CompileResult> {
  return compileService({ bpmn: [bpmnXml], dmn: [] });
}

/** Compiles a whole service: the main process, the processes it calls and the decisions it evaluates. */
export async function compileService(sources: ServiceSources): Promise<CompileResult> {
  const log = new IssueLog();
  const files: ModdleNode[] = [];
  for (const [index, xml] of sources.bpmn.entries()) {
    const definitions = await parseBpmn(xml, index, log);
    if (definitions !== undefined) {
      files.push(definitions);
    }
  }
  const [mainFile, ...otherFiles] = files;
  if (mainFile === undefined || files.length < sources.bpmn.length) {
    return { ok: false, errors: log.errors.length > 0 ? log.errors : [{ message: 'the service has no BPMN file' }] };
  }
  const decisions = await compileDmn(sources.dmn, log);
  const embeddedForms: Record<string, string> = {};
  const model = compileModel(mainFile, otherFiles, decisions, embeddedForms, log);
  if (log.errors.length > 0 || model === undefined) {
    return { ok: false, errors: log.errors };
  }
  return { ok: true, model, warnings: log.warnings, embeddedForms };
}

/** `Task_1 (bpmn:UserTask): message` per line, for the CLI and the designer UI. */
export function compileErrorsToText(issues: CompileIssue[]): string {
  return issues.map(formatCompileIssue).join('\n');
}

export function formatCompileIssue(issue: CompileIssue): string {
  if (issue.elementId === undefined) {
    return issue.message;
  }
  const type = issue.elementType === undefined ? '' : ` (${issue.elementType})`;
  return `${issue.elementId}${type}: ${issue.message}`;
}

async function parseBpmn(xml: string, index: number, log: IssueLog): Promise<ModdleNode | undefined> {
  const which = index === 0 ? 'the BPMN file' : `BPMN file ${index + 1}`;
  try {
    const parsed = await new BpmnModdle({ zeebe: zeebeDescriptor }).fromXML(xml);
    for (const warning of parsed.warnings) {
      // Moddle drops what it cannot read (unknown elements, dangling references) and only warns;
      // running a process with silently missing parts would be worse than refusing it.
      const element = isModdleNode(warning['element']) ? warning['element'] : undefined;
      log.error(element, `${which} cannot be read: ${oneLine(warning.message)}`);
    }
    return parsed.rootElement;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log.error(undefined, `${which} cannot be read: ${oneLine(message)}`);
    return undefined;
  }
}

async function compileDmn(dmnFiles: string[], log: IssueLog): Promise<Record<string, DecisionModel>> {
  const decisions: Record<string, DecisionModel> = {};
  for (const [index, xml] of dmnFiles.entries()) {
    const result = await compileDecisions(xml);
    if (!result.ok) {
      for (const issue of result.errors) {
        const where = [issue.decisionId, issue.elementId].filter((part) => part !== undefined).join(' / ');
        log.error(undefined, `DMN file ${index + 1}${where === '' ? '' : ` (${where})`}: ${issue.message}`);
      }
      continue;
    }
    for (const decision of result.decisions) {
      if (decision.id in decisions) {
        log.error(undefined, `the decision ${decision.id} is defined in more than one DMN file`);
      }
      decisions[decision.id] = decision;
    }
  }
  return decisions;
}

interface CompiledProcess {
  context: ProcessContext;
  embeddedForms: Record<string, string>;
  flows: Record<string, SequenceFlow>;
  startEventId?: string;
  eventSubProcessIds: string[];
}

function compileModel(
  mainFile: ModdleNode,
  otherFiles: ModdleNode[],
  decisions: Record<string, DecisionModel>,
  embeddedForms: Record<string, string>,
  log: IssueLog,
): ProcessModel | undefined {
  const main = selectMainProcess(mainFile, log);
  if (main === undefined) {
    return undefined;
  }
  const mainId = idOf(main) ?? 'process';
  const callable = callableProcesses(otherFiles, mainId, log);
  const compiledMain = compileOneProcess(main, undefined, log);
  const compiled: CompiledProcess[] = [compiledMain];
  const calledProcesses: Record<string, CalledProcess> = {};

  // Called processes are compiled once each, also when several call activities (or they themselves) call them.
  for (let index = 0; index < compiled.length; index += 1) {
    for (const { processId, node } of compiled[index]?.context.calls ?? []) {
      if (processId in calledProcesses) {
        continue;
      }
      const target = processId === mainId ? compiledMain : compileCalled(processId, callable, log);
      if (target === undefined) {
        log.error(node, `the called process "${processId}" is not among the service's BPMN files`);
        continue;
      }
      if (target !== compiledMain) {
        compiled.push(target);
      }
      const process = processId === mainId ? main : callable.get(processId);
      const name = process ? stringOf(process, 'name') : undefined;
      calledProcesses[processId] = {
        processId,
        ...(name !== undefined && { name }),
        startEventId: target.startEventId ?? '',
        eventSubProcessIds: target.eventSubProcessIds,
      };
    }
  }
  for (const [processId, process] of callable) {
    if (!(processId in calledProcesses)) {
      log.warn(process, 'no call activity calls this process; it is not part of the service');
    }
  }
  for (const { context } of compiled) {
    for (const { decisionId, node } of context.decisionRefs) {
      if (!(decisionId in decisions)) {
        log.error(node, `the decision "${decisionId}" is not among the service's DMN files`);
      }
    }
  }

  const elements: Record<string, ProcessElement> = {};
  const flows: Record<string, SequenceFlow> = {};
  for (const process of compiled) {
    Object.assign(elements, process.context.elements);
    Object.assign(flows, process.flows);
    Object.assign(embeddedForms, process.embeddedForms);
  }
  if (compiledMain.startEventId === undefined) {
    return undefined;
  }
  const name = stringOf(main, 'name');
  return {
    format: PROCESS_MODEL_FORMAT,
    processId: mainId,
    ...(name !== undefined && { name }),
    startEventId: compiledMain.startEventId,
    elements,
    flows,
    ...(compiledMain.eventSubProcessIds.length > 0 && { eventSubProcessIds: compiledMain.eventSubProcessIds }),
    ...(Object.keys(calledProcesses).length > 0 && { calledProcesses }),
    ...(Object.keys(decisions).length > 0 && { decisions }),
  };
}

function compileCalled(
  processId: string,
  callable: Map<string, ModdleNode>,
  log: IssueLog,
): CompiledProcess | undefined {
  const process = callable.get(processId);
  return process === undefined ? undefined : compileOneProcess(process, processId, log);
}

/** Compiles one process; `calledProcessId` prefixes its keys (see process-model.ts). */
function compileOneProcess(process: ModdleNode, calledProcessId: string | undefined, log: IssueLog): CompiledProcess {
  rejectExtensions(process, new Set(['zeebe:UserTaskForm']), log);
  const embeddedForms = embeddedFormsOf(process, log);
  const context: ProcessContext = {
    log,
    prefix: calledProcessId === undefined ? '' : `${calledProcessId}/`,
    ...(calledProcessId !== undefined && { calledProcessId }),
    elements: {},
    flows: [],
    nodes: new Map(),
    calls: [],
    decisionRefs: [],
  };
  const container = compileContainer(process, undefined, false, context);
  const flows = connect(context);
  attachBoundaryEvents(context);
  resolveLinks(context);
  checkGraph(context);
  computeJoinSources(context, flows);
  const startEventId = container.startEventId;
  return {
    context,
    embeddedForms,
    flows,
    ...(startEventId !== undefined && { startEventId }),
    eventSubProcessIds: container.eventSubProcessIds,
  };
}

function selectMainProcess(definitions: ModdleNode, log: IssueLog): ModdleNode | undefined {
  const rootElements = childrenOf(definitions, 'rootElements');
  const processes = rootElements.filter((node) => node.$type === 'bpmn:Process');
  const executable = processes.filter((node) => booleanOf(node, 'isExecutable') === true);

  noteMessageFlows(rootElements, log);
  if (processes.length === 0) {
    log.error(undefined, 'the file contains no process');
    return undefined;
  }
  if (executable.length === 0) {
    log.error(processes[0], 'no process is executable; set isExecutable="true" on the process');
    return undefined;
  }
  if (executable.length > 1) {
    const ids = executable.map((node) => idOf(node) ?? '?').join(', ');
    for (const node of executable.slice(1)) {
      log.error(
        node,
        `the file contains ${executable.length} executable processes (${ids}); a service has exactly one ` +
          '(put called processes into their own files)',
      );
    }
    return undefined;
  }
  for (const node of processes) {
    if (booleanOf(node, 'isExecutable') !== true) {
      log.warn(node, 'this process is not executable and is ignored');
    }
  }
  return executable[0];
}

/** The executable processes of the other BPMN files, by process id. */
function callableProcesses(files: ModdleNode[], mainId: string, log: IssueLog): Map<string, ModdleNode> {
  const callable = new Map<string, ModdleNode>();
  for (const definitions of files) {
    const rootElements = childrenOf(definitions, 'rootElements');
    noteMessageFlows(rootElements, log);
    for (const process of rootElements.filter((node) => node.$type === 'bpmn:Process')) {
      const processId = idOf(process);
      if (booleanOf(process, 'isExecutable') !== true) {
        log.warn(process, 'this process is not executable and is ignored');
      } else if (processId === undefined) {
        log.error(process, 'the process has no id');
      } else if (processId === mainId || callable.has(processId)) {
        log.error(process, `the process id "${processId}" is used by more than one process of the service`);
      } else {
        callable.set(processId, process);
      }
    }
  }
  return callable;
}

/**
 * Message flows are documentation between pools: Zeebe deploys the model and ignores them at run time, and
 * so does Lotse — a message reaches a case by its name and correlation key, not by a drawn flow.
 */
function noteMessageFlows(rootElements: ModdleNode[], log: IssueLog): void {
  for (const node of rootElements) {
    if (node.$type === 'bpmn:Collaboration' && childrenOf(node, 'messageFlows').length > 0) {
      log.warn(
        node,
        'message flows are ignored at run time, as in Zeebe: a message reaches a case by its name and correlation key',
      );
    }
  }
}
