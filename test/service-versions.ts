import { createHash } from 'node:crypto';
import { compileProcess } from '../engine/model/compile.js';
import type { ServiceDefinition } from '../engine/services/service-definition.js';

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
