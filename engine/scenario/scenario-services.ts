/**
 * Turns the loaded BPMN files into scenario services: one per executable process, compiled on first use with the
 * processes its call activities call and the decisions its business rule tasks evaluate, and published as a
 * service version under the slug `scenario-<processId>`.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { FormSchemaError, parseEmbeddedForms, type FormSchema, type ParsedForm } from '../../forms/schema.js';
import { compileService, formatCompileIssue } from '../model/compile.js';
import type { ProcessModel } from '../model/process-model.js';
import {
  calledDecisionIds,
  calledProcessIds,
  decisionIds,
  type ProcessSource,
  type ScenarioFiles,
  type SourceFile,
} from './scenario-files.js';
import type { ScenarioService } from './scenario.driver.js';

export type ResolvedProcess = { ok: true; versionId: string; model: ProcessModel } | { ok: false; message: string };

export function createScenarioServices(
  files: ScenarioFiles,
  publish: (service: ScenarioService) => Promise<string>,
  root = process.cwd(),
) {
  const published = new Map<string, Promise<ResolvedProcess>>();
  const relative = (file: string) => path.relative(root, file) || file;

  return {
    /** The process a test file means by this id: preferably one from the test file's own folder. */
    resolve(processId: string, testFile: string): Promise<ResolvedProcess> {
      const candidates = files.processes.filter((source) => source.processId === processId);
      const chosen = choose(candidates, path.dirname(testFile));
      if (chosen === undefined) {
        const message =
          candidates.length === 0
            ? `no loaded BPMN file has an executable process "${processId}"`
            : `process "${processId}" is defined in several files (${candidates.map((source) => relative(source.file)).join(', ')}); ` +
              'keep the test file next to the one it means';
        return Promise.resolve({ ok: false, message });
      }
      const key = `${chosen.file}#${processId}`;
      let result = published.get(key);
      if (result === undefined) {
        const unique = files.processes.filter((source) => source.processId === processId).length === 1;
        result = compileAndPublish(chosen, unique);
        published.set(key, result);
      }
      return result;
    },
  };

  async function compileAndPublish(source: ProcessSource, uniqueId: boolean): Promise<ResolvedProcess> {
    const bpmn = withCalledProcesses(source, files.processes);
    const dmn = decisionsFor(bpmn, path.dirname(source.file), files.dmn);
    const compiled = await compileService({ bpmn: bpmn.map((file) => file.xml), dmn: dmn.map((file) => file.xml) });
    if (!compiled.ok) {
      return {
        ok: false,
        message: `${relative(source.file)} does not compile: ${compiled.errors.map(formatCompileIssue).join('; ')}`,
      };
    }
    const { model } = compiled;
    let embedded: Record<string, ParsedForm>;
    try {
      embedded = parseEmbeddedForms(compiled.embeddedForms);
    } catch (error) {
      if (!(error instanceof FormSchemaError)) throw error;
      return { ok: false, message: `${relative(source.file)}: ${error.message}` };
    }
    const forms: Record<string, FormSchema> = {};
    const missing: string[] = [];
    for (const formId of referencedFormIds(model)) {
      const found = embedded[formId] ?? files.forms.get(formId);
      if (found) forms[formId] = found.form;
      else missing.push(formId);
    }
    if (missing.length > 0) {
      const unreadable = files.problems.filter((problem) => problem.includes('.form'));
      return {
        ok: false,
        message:
          `${relative(source.file)} references forms that were not loaded: ${missing.join(', ')}` +
          (unreadable.length > 0 ? ` (unreadable: ${unreadable.join('; ')})` : ''),
      };
    }
    const contentHash = createHash('sha256')
      .update(JSON.stringify({ bpmn: bpmn.map((file) => file.xml), dmn: dmn.map((file) => file.xml), forms }))
      .digest('hex');
    const slug = scenarioSlug(source.processId, uniqueId ? undefined : relative(source.file));
    const versionId = await publish({
      slug,
      name: model.name ?? source.processId,
      bpmnXml: source.xml,
      forms,
      model,
      contentHash,
    });
    return { ok: true, versionId, model };
  }
}

/** The only candidate, or the only one in `folder`, or the only one below it. */
function choose<T extends SourceFile>(candidates: T[], folder: string): T | undefined {
  if (candidates.length <= 1) return candidates[0];
  const beside = candidates.filter((source) => path.dirname(source.file) === folder);
  if (beside.length === 1) return beside[0];
  const below = candidates.filter((source) => source.file.startsWith(folder + path.sep));
  return below.length === 1 ? below[0] : undefined;
}

/** The main file first, then the files of the processes it calls, and those they call. */
function withCalledProcesses(main: ProcessSource, processes: ProcessSource[]): SourceFile[] {
  const included: SourceFile[] = [main];
  const seen = new Set([main.processId]);
  for (let index = 0; index < included.length; index++) {
    for (const processId of calledProcessIds(included[index]?.xml ?? '')) {
      if (seen.has(processId)) continue;
      seen.add(processId);
      const called = choose(
        processes.filter((source) => source.processId === processId),
        path.dirname(main.file),
      );
      // One file may hold several processes; it is passed once. A process not found is the compiler's to name.
      if (called && !included.some((file) => file.file === called.file)) included.push(called);
    }
  }
  return included;
}

/** For each decision the processes name, the DMN file that defines it (the one nearest the main file). */
function decisionsFor(bpmn: SourceFile[], folder: string, dmnFiles: SourceFile[]): SourceFile[] {
  const chosen: SourceFile[] = [];
  for (const decisionId of new Set(bpmn.flatMap((file) => calledDecisionIds(file.xml)))) {
    const file = choose(
      dmnFiles.filter((candidate) => decisionIds(candidate.xml).includes(decisionId)),
      folder,
    );
    if (file && !chosen.includes(file)) chosen.push(file);
  }
  return chosen;
}

/** `scenario-<process id>`, made a valid slug; a process id that several files use gets their path's hash. */
export function scenarioSlug(processId: string, disambiguation?: string): string {
  const base = `scenario-${processId}`
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/-$/, '');
  const suffix =
    disambiguation === undefined ? '' : `-${createHash('sha256').update(disambiguation).digest('hex').slice(0, 8)}`;
  return base.slice(0, 80 - suffix.length) + suffix;
}

function referencedFormIds(model: ProcessModel): string[] {
  const ids = new Set<string>();
  for (const element of Object.values(model.elements)) {
    if ((element.kind === 'startEvent' || element.kind === 'userTask') && element.formId) ids.add(element.formId);
  }
  return [...ids];
}
