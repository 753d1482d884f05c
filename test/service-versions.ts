import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { CATALOG_DIR } from '../engine/main/system.js';
import { compileProcess } from '../engine/model/compile.js';
import { loadServiceFolder, type ServiceDefinition } from '../engine/services/service-definition.js';

/**
 * The general inquiry as it shipped with its own answer mail (`Task_SendAnswer`, an e-mail job after the answer),
 * kept as engine/interpreter/fixtures/general-inquiry.bpmn: tests of jobs, incidents, retries and migrations need a
 * job in the path. The shipped service leaves telling the company to the platform now (ADR 0029). Publish it under
 * a slug of the test's own (`testServiceCopy`).
 */
export async function generalInquiryWithMail(): Promise<ServiceDefinition> {
  const shipped = await loadServiceFolder(`${CATALOG_DIR}/general-inquiry`);
  const bpmnXml = await readFile(
    new URL('../engine/interpreter/fixtures/general-inquiry.bpmn', import.meta.url),
    'utf8',
  );
  const compiled = await compileProcess(bpmnXml);
  if (!compiled.ok) throw new Error('the general inquiry with its mail did not compile');
  return {
    ...shipped,
    bpmnXml,
    model: compiled.model,
    contentHash: createHash('sha256').update(bpmnXml).digest('hex'),
  };
}

/**
 * Version 2 of the shipped general inquiry, for migration tests: the answer mail's subject says "(v2)", and the
 * call task has a new id (`Task_Callback`) and name — a case waiting at the call has no counterpart by equal ids.
 */
export async function generalInquiryVersionTwo(v1: ServiceDefinition): Promise<ServiceDefinition> {
  const bpmnXml = v1.bpmnXml
    .replace(
      'value="Ihre Anfrage {{caseNumber}}: {{subject}}"',
      'value="Ihre Anfrage (v2) {{caseNumber}}: {{subject}}"',
    )
    .replaceAll('Task_FollowUpCall', 'Task_Callback')
    .replace('name="Rückruf durchführen"', 'name="Rückruf durchführen (v2)"');
  const compiled = await compileProcess(bpmnXml);
  if (!compiled.ok) throw new Error('v2 did not compile');
  return { ...v1, bpmnXml, model: compiled.model, contentHash: createHash('sha256').update(bpmnXml).digest('hex') };
}

/**
 * A shipped service under a slug of a test's own, titled after the slug: every test file shares one database, and a
 * second "Allgemeine Anfrage" in the catalog would make another file's page ambiguous.
 */
export function testServiceCopy(shipped: ServiceDefinition, slug: string): ServiceDefinition {
  return { ...shipped, slug, title: { de: `Testleistung ${slug}`, en: `Test service ${slug}` } };
}
