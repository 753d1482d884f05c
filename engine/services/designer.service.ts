/**
 * The service designer's use cases (issue 10): drafts of services as maps of files, validation, publishing as a
 * new immutable version that is live at once, pausing, export and import. Every change records who made it; the
 * routes decide who may (role `service_designer`). One code path for the browser and `lotse publish`/`import`.
 */
import { filesToZip, zipToFiles } from '../designer/service-archive.js';
import {
  byteLength,
  definitionFromFiles,
  fileLimitProblems,
  isValidFileName,
  MANIFEST_FILE,
  readMetadata,
  SERVICE_FILE_LIMITS,
  ServiceDefinitionError,
  validateServiceFiles,
  withMetadata,
  type DesignProblem,
  type Localized,
  type ServiceFiles,
  type ServiceMetadata,
} from '../designer/service-files.js';
import { isTemplateId, templateFiles, TEMPLATES, type TemplateId } from '../designer/templates.js';
import { diffServiceFiles, type VersionDiff } from '../designer/version-diff.js';
import type { ServiceDraftRepository, ServiceDraftRow } from '../repositories/service-draft.repository.js';
import type { ServiceRepository, ServiceRow } from '../repositories/service.repository.js';
import type { StaffSession } from './auth.service.js';
import type { CatalogService } from './catalog.service.js';

export type { DesignProblem, Localized, ServiceFiles, ServiceMetadata, TemplateId, VersionDiff };

export interface DesignedVersion {
  id: string;
  version: number;
  publishedAt: Date;
  /** Staff id of who published it; null: the catalog folder at start. */
  publishedBy: string | null;
  /** Cases on this version not yet completed (running or stopped by an incident). */
  runningCases: number;
}

export interface DesignedService {
  slug: string;
  title: Localized;
  summary: Localized;
  /** Set while paused: the message the portal shows. */
  paused?: Localized;
  /** Published versions, newest first; empty for a new service that has only a draft. */
  versions: DesignedVersion[];
  draft?: { updatedAt: Date; updatedBy: string | null; basedOnVersion?: number };
}

export interface Draft {
  slug: string;
  files: ServiceFiles;
  /** The version the draft was opened from; undefined for a service never published. */
  basedOnVersion?: number;
  basedOnVersionId: string | null;
  updatedAt: Date;
  updatedBy: string | null;
  /** service.json's metadata; undefined while service.json is missing or invalid. */
  metadata?: ServiceMetadata;
}

export type CreateField = 'slug' | 'titleDe' | 'titleEn' | 'template';
export type MetadataField =
  'titleDe' | 'titleEn' | 'summaryDe' | 'summaryEn' | 'retentionDays' | 'whoMayStart' | 'statusLabels';

export type PublishResult =
  { ok: true; version: number; diff: VersionDiff; created: boolean } | { ok: false; problems: DesignProblem[] };

export interface DesignerService {
  /** Every service (catalog and drafts): title, paused?, draft?, versions with running cases per version. */
  list(): Promise<DesignedService[]>;
  templates(): { id: TemplateId; title: Localized; description: Localized }[];
  /** A new service as a draft from a template; errors by field (slug taken or malformed, titles missing). */
  create(
    member: StaffSession,
    input: { slug: string; titleDe: string; titleEn: string; template: string },
  ): Promise<{ ok: true } | { ok: false; errors: { field: CreateField; message: string }[] }>;
  /** The service with its versions and its draft, if any. undefined: no such service or draft. */
  service(slug: string): Promise<DesignedService | undefined>;
  draft(slug: string): Promise<Draft | undefined>;
  /** The draft, created from the latest published version when there is none yet. */
  openDraft(member: StaffSession, slug: string): Promise<Draft | undefined>;
  /** Stores one file of the draft (opening the draft first if needed) and answers the draft's problems. */
  saveFile(
    member: StaffSession,
    slug: string,
    name: string,
    content: string,
  ): Promise<
    { ok: true; problems: DesignProblem[] } | { ok: false; reason: 'not-found' | 'invalid-name' | 'too-large' }
  >;
  deleteFile(member: StaffSession, slug: string, name: string): Promise<boolean>;
  saveMetadata(
    member: StaffSession,
    slug: string,
    metadata: ServiceMetadata,
  ): Promise<{ ok: true } | { ok: false; errors: { field: MetadataField; message: string }[] }>;
  validate(slug: string): Promise<DesignProblem[] | undefined>;
  /** The draft against the latest published version (a new service: against nothing). */
  diff(slug: string): Promise<VersionDiff | undefined>;
  /** A new immutable version from the draft, live at once; refused while errors remain. The draft is then removed. */
  publish(member: StaffSession, slug: string): Promise<PublishResult>;
  discardDraft(member: StaffSession, slug: string): Promise<boolean>;
  pause(member: StaffSession, slug: string, message: Localized): Promise<boolean>;
  resume(member: StaffSession, slug: string): Promise<boolean>;
  /** A version as zip (default: the latest; a service never published: its draft). */
  exportArchive(
    slug: string,
    version?: number,
  ): Promise<{ fileName: string; zip: Buffer; reconstructed: boolean } | undefined>;
  /** A zip becomes the service's draft (a new service when the slug is new). */
  importArchive(
    member: StaffSession,
    zip: Buffer,
  ): Promise<{ ok: true; slug: string } | { ok: false; problems: DesignProblem[] }>;
  /** A map of files (a folder read by `lotse import`) becomes the service's draft. */
  importFiles(
    member: StaffSession | undefined,
    files: ServiceFiles,
  ): Promise<{ ok: true; slug: string } | { ok: false; problems: DesignProblem[] }>;
  /**
   * Publishes a map of files directly (`lotse publish <dir|zip>`): the same checks and the same catalog path as
   * publishing a draft, without storing a draft.
   */
  publishFiles(member: StaffSession | undefined, files: ServiceFiles): Promise<PublishResult>;
}

export interface DesignerServiceDeps {
  services: ServiceRepository;
  drafts: ServiceDraftRepository;
  catalog: CatalogService;
}

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** The slug of service.json, if it has one that is valid. */
function manifestSlug(files: ServiceFiles): string | undefined {
  try {
    const parsed: unknown = JSON.parse(files[MANIFEST_FILE] ?? '');
    const slug = typeof parsed === 'object' && parsed !== null && 'slug' in parsed ? parsed.slug : undefined;
    return typeof slug === 'string' && SLUG_PATTERN.test(slug) && slug.length <= 80 ? slug : undefined;
  } catch {
    return undefined;
  }
}

const hasErrors = (problems: DesignProblem[]) => problems.some((problem) => problem.severity === 'error');

/** A slug `lotse test` or the test-run uses for its unlisted scenario services is not the designer's to take. */
function scenarioSlugProblem(slug: string): DesignProblem {
  return {
    severity: 'error',
    file: MANIFEST_FILE,
    message: `Die Kennung „${slug}“ gehört einem Testdienst von lotse test`,
    messageEn: `The slug "${slug}" belongs to a lotse test scenario service`,
    source: 'manifest',
  };
}

export function createDesignerService(deps: DesignerServiceDeps): DesignerService {
  const { services, drafts, catalog } = deps;

  const toDraft = async (row: ServiceDraftRow): Promise<Draft> => {
    const base = row.basedOnVersionId ? await services.findVersion(row.basedOnVersionId) : undefined;
    const metadata = readMetadata(row.files);
    return {
      slug: row.slug,
      files: row.files,
      ...(base && { basedOnVersion: base.version }),
      basedOnVersionId: row.basedOnVersionId,
      updatedAt: row.updatedAt,
      updatedBy: row.updatedBy,
      ...(metadata && { metadata }),
    };
  };

  const designed = async (
    row: ServiceRow | undefined,
    draft: ServiceDraftRow | undefined,
  ): Promise<DesignedService> => {
    const versions = row ? await services.versionsWithRunningCases(row.id) : [];
    const draftMetadata = draft ? readMetadata(draft.files) : undefined;
    const slug = row?.slug ?? draft?.slug ?? '';
    const base = draft?.basedOnVersionId ? versions.find((v) => v.id === draft.basedOnVersionId) : undefined;
    return {
      slug,
      title: row ? { de: row.titleDe, en: row.titleEn } : (draftMetadata?.title ?? { de: slug, en: slug }),
      summary: row ? { de: row.summaryDe, en: row.summaryEn } : (draftMetadata?.summary ?? { de: '', en: '' }),
      ...(row?.pausedAt && { paused: { de: row.pauseMessageDe ?? '', en: row.pauseMessageEn ?? '' } }),
      versions: versions.map((v) => ({
        id: v.id,
        version: v.version,
        publishedAt: v.publishedAt,
        publishedBy: v.publishedBy,
        runningCases: Number(v.runningCases),
      })),
      ...(draft && {
        draft: {
          updatedAt: draft.updatedAt,
          updatedBy: draft.updatedBy,
          ...(base && { basedOnVersion: base.version }),
        },
      }),
    };
  };

  /** Published services count only when shown in the catalog: `lotse test`'s scenario services are not designed. */
  const publishedService = async (slug: string) => {
    const row = await services.findBySlug(slug);
    return row?.listed ? row : undefined;
  };

  const openDraft = async (member: StaffSession, slug: string): Promise<ServiceDraftRow | undefined> => {
    const existing = await drafts.findBySlug(slug);
    if (existing) return existing;
    const row = await publishedService(slug);
    if (!row) return undefined;
    const latest = await catalog.versionFiles(slug);
    const version = await services.latestVersion(row.id);
    if (!latest || !version) return undefined;
    const { draft } = await drafts.createIfAbsent({
      slug,
      files: latest.files,
      basedOnVersionId: version.id,
      staffId: member.staffId,
    });
    return draft;
  };

  /** Validation of a draft: its files, its slug against the draft's, and whether a newer version came meanwhile. */
  const validateDraft = async (
    slug: string,
    files: ServiceFiles,
    basedOnVersionId?: string | null,
  ): Promise<DesignProblem[]> => {
    const problems = await validateServiceFiles(files);
    const row = basedOnVersionId ? await publishedService(slug) : undefined;
    const latest = row ? await services.latestVersion(row.id) : undefined;
    const base =
      basedOnVersionId && latest && latest.id !== basedOnVersionId
        ? await services.findVersion(basedOnVersionId)
        : undefined;
    if (base && latest) {
      // Publishing now would undo what the newer version changed; the diff against it shows what.
      problems.push({
        severity: 'warning',
        file: MANIFEST_FILE,
        message: `Der Entwurf beruht auf Version ${base.version}; inzwischen ist Version ${latest.version} veröffentlicht. Prüfen Sie die Änderungen vor dem Veröffentlichen.`,
        messageEn: `The draft is based on version ${base.version}; version ${latest.version} has been published since. Check the changes before publishing.`,
        source: 'manifest',
      });
    }
    const declared = manifestSlug(files);
    if (declared !== undefined && declared !== slug) {
      problems.push({
        severity: 'error',
        file: MANIFEST_FILE,
        message: `service.json nennt die Kennung „${declared}“, der Entwurf gehört zu „${slug}“`,
        messageEn: `service.json names the slug "${declared}", the draft belongs to "${slug}"`,
        source: 'manifest',
      });
    }
    return problems;
  };

  const latestFiles = async (slug: string): Promise<ServiceFiles> =>
    (await publishedService(slug)) ? ((await catalog.versionFiles(slug))?.files ?? {}) : {};

  /** Publishes files through the catalog; `slug` (a draft's) must match service.json's. */
  const publishFiles = async (
    member: StaffSession | undefined,
    slug: string,
    files: ServiceFiles,
  ): Promise<PublishResult> => {
    const problems = await validateDraft(slug, files);
    if (hasErrors(problems)) return { ok: false, problems: problems.filter((p) => p.severity === 'error') };
    let definition;
    try {
      definition = await definitionFromFiles(files);
    } catch (error) {
      if (!(error instanceof ServiceDefinitionError || error instanceof SyntaxError)) throw error;
      return {
        ok: false,
        problems: [
          {
            severity: 'error',
            file: MANIFEST_FILE,
            message: error.message,
            messageEn: error.message,
            source: 'compiler',
          },
        ],
      };
    }
    const before = await latestFiles(slug);
    const row = await services.findBySlug(slug);
    if (row && !row.listed) {
      return {
        ok: false,
        problems: [scenarioSlugProblem(slug)],
      };
    }
    if (row) {
      const versions = await services.versionsWithRunningCases(row.id);
      const older = versions.find((v) => v.contentHash === definition.contentHash && v !== versions[0]);
      if (older) {
        // Versions are unique by content: the same content as an older version cannot become the newest.
        const message = `Der Inhalt gleicht Version ${older.version}; ändern Sie etwas oder lassen Sie die aktuelle Version bestehen`;
        return {
          ok: false,
          problems: [
            {
              severity: 'error',
              file: MANIFEST_FILE,
              message,
              messageEn: `The content equals version ${older.version}; change something or keep the current version`,
              source: 'manifest',
            },
          ],
        };
      }
    }
    const diff = await diffServiceFiles(before, files);
    const published = await catalog.publish(definition, member ? { publishedBy: member.staffId } : {});
    return { ok: true, version: published.version, diff, created: published.created };
  };

  const importFiles: DesignerService['importFiles'] = async (member, files) => {
    const limits = fileLimitProblems(files);
    if (limits.length > 0) return { ok: false, problems: limits };
    const slug = manifestSlug(files);
    if (!slug) {
      return {
        ok: false,
        problems: [
          {
            severity: 'error',
            file: MANIFEST_FILE,
            message: 'service.json fehlt oder nennt keine gültige Kennung (slug)',
            messageEn: 'service.json is missing or names no valid slug',
            source: 'manifest',
          },
        ],
      };
    }
    const existing = await services.findBySlug(slug);
    if (existing && !existing.listed) {
      return {
        ok: false,
        problems: [scenarioSlugProblem(slug)],
      };
    }
    const version = existing ? await services.latestVersion(existing.id) : undefined;
    const staffId = member?.staffId ?? null;
    const { created } = await drafts.createIfAbsent({
      slug,
      files,
      basedOnVersionId: version?.id ?? null,
      staffId,
    });
    if (!created) await drafts.replaceFiles(slug, files, staffId);
    return { ok: true, slug };
  };

  return {
    async list() {
      const [rows, draftRows] = await Promise.all([services.all(), drafts.list()]);
      const listed = rows.filter((row) => row.listed);
      const bySlug = new Map(draftRows.map((draft) => [draft.slug, draft]));
      const result = await Promise.all(listed.map((row) => designed(row, bySlug.get(row.slug))));
      const published = new Set(rows.map((row) => row.slug));
      for (const draft of draftRows) if (!published.has(draft.slug)) result.push(await designed(undefined, draft));
      return result.sort((a, b) => a.title.de.localeCompare(b.title.de, 'de'));
    },

    templates: () => TEMPLATES.map((template) => ({ ...template })),

    async create(member, input) {
      const errors: { field: CreateField; message: string }[] = [];
      const slug = input.slug.trim();
      const titleDe = input.titleDe.trim();
      const titleEn = input.titleEn.trim();
      if (!SLUG_PATTERN.test(slug) || slug.length < 3 || slug.length > 80) {
        errors.push({
          field: 'slug',
          message: 'Die Kennung besteht aus 3 bis 80 Kleinbuchstaben, Ziffern und Bindestrichen, z. B. „foerderantrag“',
        });
      } else if ((await services.findBySlug(slug)) || (await drafts.findBySlug(slug))) {
        errors.push({ field: 'slug', message: `Die Kennung „${slug}“ ist schon vergeben` });
      }
      if (!titleDe) errors.push({ field: 'titleDe', message: 'Bitte geben Sie einen deutschen Titel an' });
      if (!titleEn) errors.push({ field: 'titleEn', message: 'Bitte geben Sie einen englischen Titel an' });
      if (titleDe.length > 200) errors.push({ field: 'titleDe', message: 'Der Titel ist länger als 200 Zeichen' });
      if (titleEn.length > 200) errors.push({ field: 'titleEn', message: 'Der Titel ist länger als 200 Zeichen' });
      if (!isTemplateId(input.template)) errors.push({ field: 'template', message: 'Bitte wählen Sie eine Vorlage' });
      if (errors.length > 0 || !isTemplateId(input.template)) return { ok: false, errors };
      const files = templateFiles(input.template, { slug, title: { de: titleDe, en: titleEn } });
      const { created } = await drafts.createIfAbsent({ slug, files, basedOnVersionId: null, staffId: member.staffId });
      if (!created)
        return { ok: false, errors: [{ field: 'slug', message: `Die Kennung „${slug}“ ist schon vergeben` }] };
      return { ok: true };
    },

    async service(slug) {
      const [row, draft] = await Promise.all([publishedService(slug), drafts.findBySlug(slug)]);
      if (!row && !draft) return undefined;
      return designed(row, draft);
    },

    async draft(slug) {
      const row = await drafts.findBySlug(slug);
      return row ? toDraft(row) : undefined;
    },

    async openDraft(member, slug) {
      const row = await openDraft(member, slug);
      return row ? toDraft(row) : undefined;
    },

    async saveFile(member, slug, name, content) {
      if (!isValidFileName(name)) return { ok: false, reason: 'invalid-name' };
      if (byteLength(content) > SERVICE_FILE_LIMITS.maxFileBytes) return { ok: false, reason: 'too-large' };
      const draft = await openDraft(member, slug);
      if (!draft) return { ok: false, reason: 'not-found' };
      const next = { ...draft.files, [name]: content };
      const total = Object.values(next).reduce((sum, text) => sum + byteLength(text), 0);
      if (total > SERVICE_FILE_LIMITS.maxTotalBytes || Object.keys(next).length > SERVICE_FILE_LIMITS.maxFiles) {
        return { ok: false, reason: 'too-large' };
      }
      const saved = await drafts.setFile(slug, name, content, member.staffId);
      if (!saved) return { ok: false, reason: 'not-found' };
      return { ok: true, problems: await validateDraft(slug, saved.files, saved.basedOnVersionId) };
    },

    async deleteFile(member, slug, name) {
      const draft = await drafts.findBySlug(slug);
      if (!draft || !(name in draft.files)) return false;
      return (await drafts.setFile(slug, name, undefined, member.staffId)) !== undefined;
    },

    async saveMetadata(member, slug, metadata) {
      const errors: { field: MetadataField; message: string }[] = [];
      if (!metadata.title.de.trim())
        errors.push({ field: 'titleDe', message: 'Bitte geben Sie einen deutschen Titel an' });
      if (!metadata.title.en.trim())
        errors.push({ field: 'titleEn', message: 'Bitte geben Sie einen englischen Titel an' });
      if (!metadata.summary.de.trim())
        errors.push({ field: 'summaryDe', message: 'Bitte geben Sie eine deutsche Kurzbeschreibung an' });
      if (!metadata.summary.en.trim())
        errors.push({ field: 'summaryEn', message: 'Bitte geben Sie eine englische Kurzbeschreibung an' });
      const days = metadata.retentionDays;
      if (days !== undefined && (!Number.isInteger(days) || days < 1 || days > 36_500)) {
        errors.push({
          field: 'retentionDays',
          message: 'Die Aufbewahrungsfrist ist eine ganze Zahl von 1 bis 36500 Tagen',
        });
      }
      if (metadata.whoMayStart !== undefined && !['companies', 'everyone'].includes(metadata.whoMayStart)) {
        errors.push({ field: 'whoMayStart', message: 'Bitte wählen Sie, wer die Leistung starten darf' });
      }
      if (errors.length > 0) return { ok: false, errors };
      const draft = await openDraft(member, slug);
      if (!draft) return { ok: false, errors: [{ field: 'titleDe', message: 'Diese Leistung gibt es nicht' }] };
      const files = withMetadata(draft.files, metadata);
      await drafts.setFile(slug, MANIFEST_FILE, files[MANIFEST_FILE] ?? '', member.staffId);
      return { ok: true };
    },

    async validate(slug) {
      const draft = await drafts.findBySlug(slug);
      if (draft) return validateDraft(slug, draft.files, draft.basedOnVersionId);
      if (!(await publishedService(slug))) return undefined;
      const latest = await catalog.versionFiles(slug);
      return latest ? validateServiceFiles(latest.files) : undefined;
    },

    async diff(slug) {
      const draft = await drafts.findBySlug(slug);
      if (!draft) return undefined;
      return diffServiceFiles(await latestFiles(slug), draft.files);
    },

    async publish(member, slug) {
      const draft = await drafts.findBySlug(slug);
      if (!draft) {
        return {
          ok: false,
          problems: [
            {
              severity: 'error',
              file: '',
              message: 'Es gibt keinen Entwurf',
              messageEn: 'There is no draft',
              source: 'manifest',
            },
          ],
        };
      }
      const result = await publishFiles(member, slug, draft.files);
      if (result.ok) await drafts.remove(slug);
      return result;
    },

    discardDraft: (_member, slug) => drafts.remove(slug),

    async pause(_member, slug, message) {
      if (!(await publishedService(slug))) return false;
      const de = message.de.trim();
      if (!de) return false;
      return catalog.setPaused(slug, { de, en: message.en.trim() || de });
    },

    async resume(_member, slug) {
      if (!(await publishedService(slug))) return false;
      return catalog.setPaused(slug, null);
    },

    async exportArchive(slug, version) {
      if (await publishedService(slug)) {
        const found = await catalog.versionFiles(slug, version);
        if (!found) return undefined;
        return {
          fileName: `${slug}-v${found.version}.zip`,
          zip: filesToZip(found.files),
          reconstructed: found.reconstructed,
        };
      }
      if (version !== undefined) return undefined;
      const draft = await drafts.findBySlug(slug);
      return draft
        ? { fileName: `${slug}-entwurf.zip`, zip: filesToZip(draft.files), reconstructed: false }
        : undefined;
    },

    async importArchive(member, zip) {
      const unpacked = zipToFiles(zip);
      if (!unpacked.ok) return unpacked;
      return importFiles(member, unpacked.files);
    },

    importFiles,

    async publishFiles(member, files) {
      const slug = manifestSlug(files);
      if (!slug) {
        const problems = await validateServiceFiles(files);
        return { ok: false, problems: problems.filter((p) => p.severity === 'error') };
      }
      return publishFiles(member, slug, files);
    },
  };
}
