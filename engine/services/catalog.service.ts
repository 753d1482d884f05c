import type { ServiceRepository, ServiceVersionRow } from '../repositories/service.repository.js';
import type { FormSchema } from '../../forms/schema.js';
import type { ProcessModel } from '../model/process-model.js';
import { filesOfStoredVersion, type ServiceFiles } from '../designer/service-files.js';
import type { ServiceDefinition, StartConfig, StartStep } from './service-definition.js';

type Localized = { de: string; en: string };

export interface PublishedService {
  slug: string;
  title: { de: string; en: string };
  summary: { de: string; en: string };
  versionId: string;
  version: number;
  model: ProcessModel;
  forms: Record<string, FormSchema>;
  start: StartConfig;
  /** Set while the service is paused: the message to show instead of starting (no new case starts). */
  paused?: Localized;
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
  /** Set while the service is paused: shown in place of the start button. */
  paused?: Localized;
  /** What the designer wrote about the service (service.json), for companies deciding to start it. */
  about?: ServiceAbout;
}

/** The descriptive part of a service's metadata that the catalog shows. */
export interface ServiceAbout {
  category?: string;
  description?: Localized;
  /** One entry per document, German and English side by side (English falls back to German). */
  requiredDocuments?: Localized[];
  expectedDuration?: Localized;
}

const isLocalized = (value: unknown): value is Localized =>
  typeof value === 'object' &&
  value !== null &&
  typeof Reflect.get(value, 'de') === 'string' &&
  typeof Reflect.get(value, 'en') === 'string';

const texts = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string' && item.trim() !== '') : [];

/**
 * The catalog's view of the metadata stored with the service (jsonb, as last published): only well-formed parts,
 * blank ones left out; undefined when nothing is left to show.
 */
export function aboutOf(metadata: Record<string, unknown> | null | undefined): ServiceAbout | undefined {
  if (!metadata) return undefined;
  const about: ServiceAbout = {};
  const { category, description, requiredDocuments, expectedDuration } = metadata;
  if (typeof category === 'string' && category.trim() !== '') about.category = category.trim();
  if (isLocalized(description) && description.de.trim() !== '') about.description = description;
  if (isLocalized(expectedDuration) && expectedDuration.de.trim() !== '') about.expectedDuration = expectedDuration;
  if (typeof requiredDocuments === 'object' && requiredDocuments !== null) {
    const german = texts(Reflect.get(requiredDocuments, 'de'));
    const english = texts(Reflect.get(requiredDocuments, 'en'));
    if (german.length > 0) about.requiredDocuments = german.map((de, index) => ({ de, en: english[index] ?? de }));
  }
  return Object.keys(about).length > 0 ? about : undefined;
}

/** The files of a published version: as published, or rebuilt for versions from before files were stored. */
export interface VersionFiles {
  version: number;
  files: ServiceFiles;
  /** True when the version predates stored files and they were rebuilt from its BPMN, forms and DMN. */
  reconstructed: boolean;
}

/** The published services and their immutable versions. */
export interface CatalogService {
  /** Publishes the definition as a new immutable version unless the same content is already published. */
  publish(
    definition: ServiceDefinition,
    options?: { publishedBy?: string },
  ): Promise<{ version: number; created: boolean }>;
  /** The services shown in the catalog. */
  list(): Promise<ListedService[]>;
  /** The version new cases start on: the latest published. */
  current(slug: string): Promise<PublishedService | undefined>;
  /** One version by id, whether or not it is the latest: a case runs on the version it started on. */
  version(versionId: string): Promise<ServiceVersion | undefined>;
  /** The pause message of the service a version belongs to; undefined while it is not paused. */
  pauseOf(versionId: string): Promise<Localized | undefined>;
  /** Pauses the service with a message, or resumes it (null); false: no such service. */
  setPaused(slug: string, message: Localized | null): Promise<boolean>;
  /** The files of a version (default: the latest); undefined: no such service or version. */
  versionFiles(slug: string, version?: number): Promise<VersionFiles | undefined>;
}

const pauseMessage = (row: { pausedAt: Date | null; pauseMessageDe: string | null; pauseMessageEn: string | null }) =>
  row.pausedAt ? { de: row.pauseMessageDe ?? '', en: row.pauseMessageEn ?? '' } : undefined;

export interface CatalogServiceDeps {
  services: ServiceRepository;
}

export function createCatalogService(deps: CatalogServiceDeps): CatalogService {
  const { services } = deps;
  // Versions published before steps were stored start with their start event's form alone.
  const startOf = (version: { start: StartConfig | null; model: ProcessModel }) =>
    version.start ?? defaultStart(version.model);

  return {
    async publish(definition, options = {}) {
      const { version, created } = await services.publish(
        {
          slug: definition.slug,
          titleDe: definition.title.de,
          titleEn: definition.title.en,
          summaryDe: definition.summary.de,
          summaryEn: definition.summary.en,
          retentionDays: definition.retentionDays ?? null,
          metadata: { ...definition.metadata },
        },
        {
          contentHash: definition.contentHash,
          bpmnXml: definition.bpmnXml,
          forms: definition.forms,
          dmn: definition.dmn,
          model: definition.model,
          start: definition.start,
          files: definition.files,
          publishedBy: options.publishedBy ?? null,
        },
      );
      return { version: version.version, created };
    },
    async list() {
      const rows = await services.listed();
      return rows.map((row) => {
        const about = aboutOf(row.metadata);
        return {
          slug: row.slug,
          title: { de: row.titleDe, en: row.titleEn },
          summary: { de: row.summaryDe, en: row.summaryEn },
          ...(row.pausedAt && { paused: pauseMessage(row) }),
          ...(about && { about }),
        };
      });
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
        ...(service.pausedAt && { paused: pauseMessage(service) }),
      };
    },
    async version(versionId) {
      const version = await services.findVersion(versionId);
      if (!version) return undefined;
      return { ...version, start: startOf(version) };
    },
    async pauseOf(versionId) {
      const version = await services.findVersion(versionId);
      const service = version ? await services.findById(version.serviceId) : undefined;
      return service ? pauseMessage(service) : undefined;
    },
    setPaused: (slug, message) => services.setPaused(slug, message),
    async versionFiles(slug, number) {
      const service = await services.findBySlug(slug);
      if (!service) return undefined;
      const version =
        number === undefined
          ? await services.latestVersion(service.id)
          : await services.versionByNumber(service.id, number);
      if (!version) return undefined;
      if (version.files) return { version: version.version, files: version.files, reconstructed: false };
      const files = filesOfStoredVersion({
        slug: service.slug,
        title: { de: service.titleDe, en: service.titleEn },
        summary: { de: service.summaryDe, en: service.summaryEn },
        bpmnXml: version.bpmnXml,
        forms: version.forms,
        dmn: version.dmn,
        start: version.start,
        retentionDays: service.retentionDays,
      });
      return { version: version.version, files, reconstructed: true };
    },
  };
}
