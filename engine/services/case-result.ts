/**
 * What a company sees of its case's outcome (ADR 0024): service.json's `result` names a read-only result form —
 * its fields are the public variables — and the variables that hold the ids of public documents (a document
 * task's `resultVariable`). Everything else in the case's variables stays with the staff. Pure.
 */
import type { FormSchema } from '../../forms/schema.js';
import { rootKeysOf } from './start-steps.js';

/** service.json `result`: the result form's id and the variables naming public documents. */
export interface ResultConfig {
  form: string;
  documents: string[];
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The `result` of a version's stored service.json; undefined when it has none (or the text is not JSON). */
export function resultConfigOf(manifestText: string | undefined): ResultConfig | undefined {
  if (manifestText === undefined) return undefined;
  let manifest: unknown;
  try {
    manifest = JSON.parse(manifestText);
  } catch {
    return undefined;
  }
  const result = isRecord(manifest) ? manifest.result : undefined;
  if (!isRecord(result) || typeof result.form !== 'string') return undefined;
  const documents = Array.isArray(result.documents)
    ? result.documents.filter((name): name is string => typeof name === 'string')
    : [];
  return { form: result.form, documents };
}

/** The outcome a company may see: the result form, its values, and the ids of the public documents. */
export interface CaseResult {
  form: FormSchema;
  /** Only the variables the result form shows (by their root names). */
  values: Record<string, unknown>;
  /** Ids of public documents, in the order the variables name them (a variable may hold one id or a list). */
  documentIds: string[];
}

/**
 * The case's public outcome under its version's result config: the values of the result form's fields and the
 * document ids the named variables hold. Undefined without a config or when the form is not one of the version's.
 */
export function caseResultOf(
  config: ResultConfig | undefined,
  forms: Record<string, FormSchema>,
  variables: Record<string, unknown>,
): CaseResult | undefined {
  const form = config ? forms[config.form] : undefined;
  if (!config || !form) return undefined;
  const values: Record<string, unknown> = {};
  for (const root of rootKeysOf(form)) if (Object.hasOwn(variables, root)) values[root] = variables[root];
  const documentIds = config.documents.flatMap((name) => {
    const held = variables[name];
    const ids = Array.isArray(held) ? held : [held];
    return ids.filter((id): id is string => typeof id === 'string' && id !== '');
  });
  return { form, values, documentIds: [...new Set(documentIds)] };
}
