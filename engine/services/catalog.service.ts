import type { ServiceRepository, ServiceVersionRow } from '../repositories/service.repository.js';
import type { FormSchema } from '../../forms/schema.js';
import type { ProcessModel } from '../model/process-model.js';
import type { ServiceDefinition, StartConfig, StartStep } from './service-definition.js';

export interface PublishedService {
  slug: string;
  title: { de: string; en: string };
  summary: { de: string; en: string };
  versionId: string;
  version: number;
  model: ProcessModel;
  forms: Record<string, FormSchema>;
  start: StartConfig;
}

/** The start form of a published version, if its start event has one. */
export function startFormOf(version: {
  model: ProcessModel;
  forms: Record<string, FormSchema>;
}): FormSchema | undefined {
  const start = version.model.elements[version.model.startEventId];
  return start?.kind === 'startEvent' && start.formId ? version.forms[start.formId] : undefined;
}

/** The start steps of a version with their forms, in order. */
export function startStepsOf(version: {
  start: StartConfig;
  forms: Record<string, FormSchema>;
}): (StartStep & { form: FormSchema })[] {
  return version.start.steps.flatMap((step) => {
    const form = version.forms[step.formId];
    return form ? [{ ...step, form }] : [];
  });
}

/** Without `steps` in service.json: the start event's form is the only step. */
function defaultStart(model: ProcessModel): StartConfig {
  const start = model.elements[model.startEventId];
  return { steps: start?.kind === 'startEvent' && start.formId ? [{ formId: start.formId }] : [], prefill: {} };
}

/** A published version as stored, with its start steps (older versions: the start event's form). */
export type ServiceVersion = Omit<ServiceVersionRow, 'start'> & { start: StartConfig };

/** A service as the catalog page lists it. */
export interface ListedService {
  slug: string;
  title: { de: string; en: string };
  summary: { de: string; en: string };
}

/** The published services and their immutable versions. */
export interface CatalogService {
  /** Publishes the definition as a new immutable version unless the same content is already published. */
  publish(definition: ServiceDefinition): Promise<{ version: number; created: boolean }>;
  /** The services shown in the catalog. */
  list(): Promise<ListedService[]>;
  /** The version new cases start on: the latest published. */
  current(slug: string): Promise<PublishedService | undefined>;
  /** One version by id, whether or not it is the latest: a case runs on the version it started on. */
  version(versionId: string): Promise<ServiceVersion | undefined>;
}

export interface CatalogServiceDeps {
  services: ServiceRepository;
}

export function createCatalogService(deps: CatalogServiceDeps): CatalogService {
  const { services } = deps;
  // Versions published before steps were stored start with their start event's form alone.
  const startOf = (version: { start: StartConfig | null; model: ProcessModel }) =>
    version.start ?? defaultStart(version.model);

  return {
    async publish(definition) {
      const { version, created } = await services.publish(
        {
          slug: definition.slug,
          titleDe: definition.title.de,
          titleEn: definition.title.en,
          summaryDe: definition.summary.de,
          summaryEn: definition.summary.en,
          retentionDays: definition.retentionDays ?? null,
        },
        {
          contentHash: definition.contentHash,
          bpmnXml: definition.bpmnXml,
          forms: definition.forms,
          dmn: definition.dmn,
          model: definition.model,
          start: definition.start,
        },
      );
      return { version: version.version, created };
    },
    async list() {
      const rows = await services.listed();
      return rows.map((row) => ({
        slug: row.slug,
        title: { de: row.titleDe, en: row.titleEn },
        summary: { de: row.summaryDe, en: row.summaryEn },
      }));
    },
    async current(slug) {
      const service = await services.findBySlug(slug);
      if (!service) return undefined;
      const version = await services.latestVersion(service.id);
      if (!version) return undefined;
      return {
        slug: service.slug,
        title: { de: service.titleDe, en: service.titleEn },
        summary: { de: service.summaryDe, en: service.summaryEn },
        versionId: version.id,
        version: version.version,
        model: version.model,
        forms: version.forms,
        start: startOf(version),
      };
    },
    async version(versionId) {
      const version = await services.findVersion(versionId);
      if (!version) return undefined;
      return { ...version, start: startOf(version) };
    },
  };
}
