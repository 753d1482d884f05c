import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { compileProcess, compileErrorsToText } from '../model/compile.js';
import type { ProcessModel } from '../model/process-model.js';
import { parseForm, type FormSchema } from '../../forms/schema.js';

const localized = z.object({ de: z.string().min(1), en: z.string().min(1) });

const serviceManifest = z.object({
  slug: z.string().regex(/^[a-z0-9-]+$/),
  title: localized,
  summary: localized,
  bpmn: z.string(),
  forms: z.array(z.string()),
});

export interface ServiceDefinition {
  slug: string;
  title: { de: string; en: string };
  summary: { de: string; en: string };
  bpmnXml: string;
  forms: Record<string, FormSchema>;
  model: ProcessModel;
  /** SHA-256 over BPMN and forms: the identity of a version's content. */
  contentHash: string;
}

export class ServiceDefinitionError extends Error {
  override name = 'ServiceDefinitionError';
}

/** Reads, compiles and checks one service folder (`service.json`, BPMN, forms). */
export async function loadServiceFolder(folder: string): Promise<ServiceDefinition> {
  const manifestPath = path.join(folder, 'service.json');
  const manifest = serviceManifest.safeParse(JSON.parse(await readFile(manifestPath, 'utf8')));
  if (!manifest.success) {
    throw new ServiceDefinitionError(
      `${manifestPath}: ${manifest.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  const { slug, title, summary } = manifest.data;
  const bpmnXml = await readFile(path.join(folder, manifest.data.bpmn), 'utf8');
  const compiled = await compileProcess(bpmnXml);
  if (!compiled.ok) throw new ServiceDefinitionError(`${slug}: ${compileErrorsToText(compiled.errors)}`);

  const forms: Record<string, FormSchema> = {};
  for (const file of manifest.data.forms) {
    const form = parseForm(JSON.parse(await readFile(path.join(folder, file), 'utf8')));
    forms[form.id] = form;
  }
  const missing = referencedFormIds(compiled.model).filter((formId) => !forms[formId]);
  if (missing.length > 0)
    throw new ServiceDefinitionError(`${slug}: the model references missing forms: ${missing.join(', ')}`);

  const contentHash = createHash('sha256').update(JSON.stringify({ bpmnXml, forms })).digest('hex');
  return { slug, title, summary, bpmnXml, forms, model: compiled.model, contentHash };
}

export async function listServiceFolders(catalogDir: string): Promise<string[]> {
  const entries = await readdir(catalogDir, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => path.join(catalogDir, entry.name))
    .sort();
}

function referencedFormIds(model: ProcessModel): string[] {
  return Object.values(model.elements).flatMap((element) =>
    (element.kind === 'startEvent' || element.kind === 'userTask') && element.formId ? [element.formId] : [],
  );
}
