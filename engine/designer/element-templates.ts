/**
 * The modeler's element templates (Camunda 8 / Zeebe element template format, read by `bpmn-js-element-templates`),
 * one per job type Lotse runs (`job-types.ts`). A designer picks "E-Mail senden" on a task and fills its fields; the
 * template writes the `zeebe:taskDefinition` and the `zeebe:taskHeaders` the worker reads, so nobody types a job type.
 * Pure: the browser bundle (admin/browser/designer-modeler.ts) builds them from the same list validation checks.
 */
import { JOB_TYPES, type JobParameter, type JobType } from './job-types.js';

export type TemplateLocale = 'de' | 'en';

/** The subset of the element template schema Lotse writes. */
export interface ElementTemplate {
  $schema: string;
  id: string;
  name: string;
  description: string;
  version: number;
  appliesTo: string[];
  elementType: { value: string };
  groups: { id: string; label: string }[];
  properties: ElementTemplateProperty[];
}

export interface ElementTemplateProperty {
  id?: string;
  label?: string;
  description?: string;
  type: 'Hidden' | 'String' | 'Text';
  value?: string;
  group?: string;
  feel?: 'optional';
  optional?: boolean;
  binding: { type: 'zeebe:taskDefinition'; property: 'type' } | { type: 'zeebe:taskHeader'; key: string };
  constraints?: { notEmpty: true };
}

const SCHEMA = 'https://unpkg.com/@camunda/zeebe-element-templates-json-schema/resources/schema.json';

/**
 * Raised when a job type's headers change in a way an existing task's template no longer describes (a header
 * renamed or removed); the modeler then offers to update the task.
 */
const TEMPLATE_VERSION = 1;

/** The template id of a job type: stable, written into the BPMN as `zeebe:modelerTemplate`. */
export const templateIdOf = (jobType: string) => `lotse.job.${jobType}`;

export function elementTemplates(locale: TemplateLocale): ElementTemplate[] {
  return JOB_TYPES.map((jobType) => templateOf(jobType, locale));
}

function templateOf(jobType: JobType, locale: TemplateLocale): ElementTemplate {
  const groupLabel = locale === 'de' ? 'Angaben zum Schritt' : 'Step settings';
  return {
    $schema: SCHEMA,
    id: templateIdOf(jobType.type),
    name: jobType.name[locale],
    description: jobType.description[locale],
    version: TEMPLATE_VERSION,
    appliesTo: ['bpmn:Task'],
    elementType: { value: 'bpmn:ServiceTask' },
    groups: [{ id: 'settings', label: groupLabel }],
    properties: [
      // The job type is fixed by the template: the worker's implementation is chosen by it.
      { type: 'Hidden', value: jobType.type, binding: { type: 'zeebe:taskDefinition', property: 'type' } },
      ...jobType.headers.map((header) => headerProperty(jobType, header, locale)),
    ],
  };
}

function headerProperty(jobType: JobType, header: JobParameter, locale: TemplateLocale): ElementTemplateProperty {
  return {
    id: `${jobType.type}.${header.name}`,
    label: header.label[locale],
    ...(header.description ? { description: header.description[locale] } : {}),
    type: header.template ? 'Text' : 'String',
    group: 'settings',
    ...(header.feel ? { feel: 'optional' as const } : {}),
    ...(header.defaultValue !== undefined ? { value: header.defaultValue } : {}),
    // An optional header without a value is left out of the BPMN rather than written empty: the job's default holds.
    ...(header.required ? { constraints: { notEmpty: true as const } } : { optional: true }),
    binding: { type: 'zeebe:taskHeader', key: header.name },
  };
}
