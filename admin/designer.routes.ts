import { readFile } from 'node:fs/promises';
import { Router, type Request, type Response } from 'express';
import { readMetadata, type DesignProblem, type ServiceFiles } from '../engine/designer/service-files.js';
import type { DesignerService } from '../engine/services/designer.service.js';
import { uploadsOf } from '../engine/web/uploads.js';
import { translate, type Locale } from '../engine/web/i18n.js';
import { NotFoundError, formInput, localeOf, pageOf } from '../engine/web/http.js';
import type { ViewRenderer } from '../engine/web/views.js';
import type { FormRenderer } from '../forms/render.js';
import { parseForm, FormSchemaError } from '../forms/schema.js';
import { parseFormTranslation, translationFileName } from '../forms/translate.js';
import { scriptSafeJson } from './process-diagram.js';
import { requireRole } from './staff-guard.js';
import {
  diffView,
  fileKindOf,
  metadataFields,
  metadataFromForm,
  metadataToForm,
  newFileContent,
  problemView,
  type FileKind,
} from './designer-views.js';

export interface DesignerRouteDeps {
  designer: DesignerService;
  views: ViewRenderer;
  forms: FormRenderer;
}

/** Service slugs as the catalog has them; anything else is no service (404 before any lookup). */
const SLUG = /^[a-z0-9][a-z0-9-]{0,79}$/;
/** The contract's file names (engine/designer/service-files.ts checks them again). */
const FILE_NAME = /^[A-Za-z0-9._-]{1,100}$/;
/** The largest zip the import reads (the archive's own limit; engine/designer/service-archive.ts checks entries). */
const MAX_ARCHIVE_BYTES = 10 * 1024 * 1024;

/** The editor bundle of each kind of file (engine/web/browser-assets.ts); other files are edited as text. */
const EDITOR_BUNDLES: Partial<Record<FileKind, string>> = {
  bpmn: 'designer-modeler',
  form: 'designer-form',
  dmn: 'designer-dmn',
};

/**
 * The service designer (issue 10): `/staff/designer` lists services, `/new` creates one from a template,
 * `/:slug` is a service's page (versions, draft files, metadata, problems, diff, publish, pause, export), and
 * `/:slug/files/:name` edits one file of the draft (modeler, form editor, decision editor, or text). Every page is
 * for the role service_designer only (others get 404, ADR 0003) and works without JavaScript; the editors save
 * with fetch() when it runs (`Accept: application/json`), else the form posts and the page comes back.
 */
export function createDesignerRouter({ designer, views, forms }: DesignerRouteDeps): Router {
  const router = Router();
  const serviceDesigner = requireRole('service_designer');
  const t = (req: Request, key: string) => translate(localeOf(req), key);

  const slugOf = (req: Request): string => {
    const slug: unknown = req.params.slug;
    if (typeof slug !== 'string' || !SLUG.test(slug)) throw new NotFoundError();
    return slug;
  };
  const fileNameOf = (req: Request): string => {
    const name: unknown = req.params.name;
    if (typeof name !== 'string' || !FILE_NAME.test(name)) throw new NotFoundError();
    return name;
  };
  const wantsJson = (req: Request) => req.accepts(['html', 'json']) === 'json';

  async function listPage(req: Request, res: Response, importProblems: DesignProblem[] = [], status = 200) {
    const locale = localeOf(req);
    const services = (await designer.list()).map((service) => ({
      slug: service.slug,
      title: service.title[locale],
      state: stateText(locale, service),
      versions: service.versions.map((version) => ({
        text: fill(translate(locale, 'designer.web.versionRunning'), {
          version: version.version,
          count: version.runningCases,
        }),
      })),
      draft: service.draft !== undefined,
    }));
    res.status(status).send(
      views.render('designer/list', pageOf(req, t(req, 'designer.web.title')), {
        services,
        importProblems: importProblems.map((problem) => problemView(locale, '', problem)),
      }),
    );
  }

  router.get('/designer', async (req, res) => {
    if (!serviceDesigner(req, res)) return;
    await listPage(req, res);
  });

  const newPage = (
    req: Request,
    res: Response,
    values: Record<string, string>,
    errors: { field: string; message: string }[] = [],
  ) => {
    const locale = localeOf(req);
    const chosen = values.template ?? 'inquiry';
    res.status(errors.length > 0 ? 422 : 200).send(
      views.render('designer/new', pageOf(req, t(req, 'designer.web.newTitle')), {
        values,
        errors,
        fieldErrors: Object.fromEntries(errors.map((error) => [error.field, error.message])),
        templates: designer.templates().map((template) => ({
          id: template.id,
          title: template.title[locale],
          description: template.description[locale],
          checked: template.id === chosen,
        })),
      }),
    );
  };

  router.get('/designer/new', (req, res) => {
    if (!serviceDesigner(req, res)) return;
    newPage(req, res, {});
  });

  router.post('/designer/new', async (req, res) => {
    const member = serviceDesigner(req, res);
    if (!member) return;
    const input = formInput(req);
    const values = {
      slug: text(input.slug).trim(),
      titleDe: text(input.titleDe).trim(),
      titleEn: text(input.titleEn).trim(),
      template: text(input.template),
    };
    const template = designer.templates().find((candidate) => candidate.id === values.template);
    if (!template) {
      return newPage(req, res, values, [{ field: 'template', message: t(req, 'designer.web.templateMissing') }]);
    }
    const created = await designer.create(member, { ...values, template: template.id });
    if (!created.ok) return newPage(req, res, values, created.errors);
    res.redirect(303, `/staff/designer/${values.slug}`);
  });

  router.post('/designer/import', async (req, res) => {
    const member = serviceDesigner(req, res);
    if (!member) return;
    const upload = uploadsOf(req).files.find((file) => file.field === 'archive');
    const refuse = (message: string) =>
      listPage(req, res, [{ severity: 'error', file: '', message, messageEn: message, source: 'manifest' }], 422);
    if (!upload) return refuse(t(req, 'designer.web.archiveMissing'));
    if (upload.tooLarge || upload.size > MAX_ARCHIVE_BYTES) return refuse(t(req, 'designer.web.archiveTooLarge'));
    const imported = await designer.importArchive(member, await readFile(upload.tempPath));
    if (!imported.ok) return listPage(req, res, imported.problems, 422);
    res.redirect(303, `/staff/designer/${imported.slug}?notice=imported`);
  });

  interface ServiceState {
    status?: number;
    publishProblems?: DesignProblem[];
    published?: { version: number; diff: Awaited<ReturnType<DesignerService['diff']>> };
    metadata?: { values: Record<string, string>; errors: Record<string, string> };
    pause?: { values: Record<string, string>; errors: Record<string, string> };
    newFile?: { value: string; error: string };
  }

  async function servicePage(req: Request, res: Response, slug: string, state: ServiceState = {}) {
    const locale = localeOf(req);
    const service = await designer.service(slug);
    if (!service) throw new NotFoundError();
    const draft = await designer.draft(slug);
    const [problems, diff] = draft
      ? await Promise.all([designer.validate(slug), designer.diff(slug)])
      : [[], undefined];
    const title = service.title[locale];
    const notice = typeof req.query.notice === 'string' ? noticeText(locale, req.query.notice) : undefined;
    const paused = service.paused;
    res.status(state.status ?? 200).send(
      views.render('designer/service', pageOf(req, `${t(req, 'designer.web.title')}: ${title}`), {
        slug,
        title,
        state: stateText(locale, service),
        notice,
        paused: paused !== undefined,
        pausedMessage: paused?.[locale],
        versions: service.versions.map((version) => ({
          ...version,
          exportLabel: fill(translate(locale, 'designer.web.exportVersion'), { version: version.version }),
        })),
        published: state.published && {
          text: fill(translate(locale, 'designer.web.publishedText'), { version: state.published.version }),
          diff: state.published.diff && diffView(locale, state.published.diff),
        },
        publishProblems: (state.publishProblems ?? []).map((problem) => problemView(locale, slug, problem)),
        draft: draft && {
          files: Object.keys(draft.files)
            .sort()
            .map((name) => ({
              name,
              kind: translate(locale, `designer.web.kind.${fileKindOf(name)}`),
              editLabel: fill(translate(locale, 'designer.web.editFile'), { name }),
              deleteLabel: fill(translate(locale, 'designer.web.deleteFile'), { name }),
            })),
        },
        problems: (problems ?? []).map((problem) => problemView(locale, slug, problem)),
        diff: diff && diffView(locale, diff),
        newFile: state.newFile ?? { value: '', error: '' },
        metadataFields: draft
          ? metadataFields(locale, state.metadata?.values ?? metadataValues(draft.files), state.metadata?.errors ?? {})
          : [],
        whoMayStart: (['companies', 'everyone'] as const).map((value) => ({
          value,
          label: translate(locale, `designer.web.whoMayStart.${value}`),
          checked: (state.metadata?.values.whoMayStart ?? metadataValues(draft?.files ?? {}).whoMayStart) === value,
        })),
        pauseFields: (['de', 'en'] as const).map((lang) => {
          const name = lang === 'de' ? 'messageDe' : 'messageEn';
          return {
            name,
            lang,
            label: translate(locale, `designer.web.pauseMessage.${lang}`),
            value: state.pause?.values[name] ?? '',
            error: state.pause?.errors[name],
          };
        }),
      }),
    );
  }

  router.get('/designer/:slug', async (req, res) => {
    if (!serviceDesigner(req, res)) return;
    await servicePage(req, res, slugOf(req));
  });

  router.post('/designer/:slug/draft', async (req, res) => {
    const member = serviceDesigner(req, res);
    if (!member) return;
    const slug = slugOf(req);
    if (!(await designer.openDraft(member, slug))) throw new NotFoundError();
    res.redirect(303, `/staff/designer/${slug}?notice=draftOpened`);
  });

  router.post('/designer/:slug/metadata', async (req, res) => {
    const member = serviceDesigner(req, res);
    if (!member) return;
    const slug = slugOf(req);
    const values = Object.fromEntries(Object.entries(formInput(req)).map(([key, value]) => [key, text(value)]));
    const parsed = metadataFromForm(localeOf(req), values);
    if (!parsed.ok) return servicePage(req, res, slug, { status: 422, metadata: { values, errors: parsed.errors } });
    const saved = await designer.saveMetadata(member, slug, parsed.metadata);
    if (!saved.ok) {
      // The service names the labels as one field; the form has one per language.
      const errors = Object.fromEntries(
        saved.errors.map((error) => [error.field === 'statusLabels' ? 'statusLabelsDe' : error.field, error.message]),
      );
      return servicePage(req, res, slug, { status: 422, metadata: { values, errors } });
    }
    res.redirect(303, `/staff/designer/${slug}?notice=metadataSaved#metadata`);
  });

  router.post('/designer/:slug/files', async (req, res) => {
    const member = serviceDesigner(req, res);
    if (!member) return;
    const slug = slugOf(req);
    const name = text(formInput(req).name).trim();
    const draft = await designer.draft(slug);
    if (!draft) throw new NotFoundError();
    const refuse = (key: string) =>
      servicePage(req, res, slug, { status: 422, newFile: { value: name, error: t(req, key) } });
    if (!FILE_NAME.test(name)) return refuse('designer.web.fileNameInvalid');
    if (Object.hasOwn(draft.files, name)) return refuse('designer.web.fileExists');
    const saved = await designer.saveFile(member, slug, name, newFileContent(name));
    if (!saved.ok)
      return refuse(saved.reason === 'invalid-name' ? 'designer.web.fileNameInvalid' : 'designer.web.tooLarge');
    res.redirect(303, `/staff/designer/${slug}/files/${encodeURIComponent(name)}`);
  });

  async function filePage(
    req: Request,
    res: Response,
    slug: string,
    name: string,
    state: { status?: number; content?: string; error?: string; notice?: string } = {},
  ) {
    const locale = localeOf(req);
    const service = await designer.service(slug);
    const draft = await designer.draft(slug);
    const saved = draft?.files[name];
    if (!service || !draft || (saved === undefined && state.content === undefined)) throw new NotFoundError();
    const content = state.content ?? saved ?? '';
    const kind = fileKindOf(name);
    const problems = ((await designer.validate(slug)) ?? [])
      .filter((problem) => problem.file === name)
      .map((problem) => problemView(locale, slug, problem));
    const bundle = EDITOR_BUNDLES[kind];
    const previewLocale: Locale = req.query.preview === 'en' ? 'en' : 'de';
    const translationName = kind === 'form' ? translationFileName(name, 'en') : undefined;
    const preview =
      kind === 'form'
        ? renderPreview(forms, content, translationName ? draft.files[translationName] : undefined, previewLocale)
        : undefined;
    const notice = state.notice ?? (req.query.saved === '1' ? t(req, 'designer.web.savedNoJs') : undefined);
    res.status(state.status ?? 200).send(
      views.render('designer/file', pageOf(req, `${t(req, 'designer.web.fileTitle')} ${name}`), {
        slug,
        name,
        serviceTitle: service.title[locale],
        kind,
        kindText: translate(locale, `designer.web.kind.${kind}`),
        content,
        error: state.error,
        notice,
        problems,
        problemsJson: scriptSafeJson(problems),
        editorJs: bundle && `/static/${bundle}.js`,
        editorCss: bundle && `/static/${bundle}.css`,
        previewUrl: kind === 'form' ? `/staff/designer/${slug}/files/${encodeURIComponent(name)}/preview` : undefined,
        translationName,
        translation: translationName ? (draft.files[translationName] ?? '{}') : undefined,
        previewLocale,
        preview: preview?.ok ? preview.html : undefined,
        previewError: preview && !preview.ok ? preview.message : undefined,
      }),
    );
  }

  router.get('/designer/:slug/files/:name', async (req, res) => {
    if (!serviceDesigner(req, res)) return;
    await filePage(req, res, slugOf(req), fileNameOf(req));
  });

  /** The content a save sent: a file part (the editors, any size up to the upload limit) or the textarea field. */
  async function sentContent(req: Request, field: string): Promise<string | { tooLarge: true } | undefined> {
    const upload = uploadsOf(req).files.find((file) => file.field === field);
    if (upload) return upload.tooLarge ? { tooLarge: true } : readFile(upload.tempPath, 'utf8');
    const value = formInput(req)[field];
    return typeof value === 'string' ? value : undefined;
  }

  router.post('/designer/:slug/files/:name', async (req, res) => {
    const member = serviceDesigner(req, res);
    if (!member) return;
    const slug = slugOf(req);
    const name = fileNameOf(req);
    const content = await sentContent(req, 'content');
    const answer = (status: number, message: string) =>
      wantsJson(req)
        ? res.status(status).json({ ok: false, message })
        : filePage(req, res, slug, name, {
            status,
            content: typeof content === 'string' ? content : undefined,
            error: message,
          });
    if (content === undefined) return answer(422, t(req, 'designer.web.contentMissing'));
    if (typeof content !== 'string') return answer(413, t(req, 'designer.web.tooLarge'));
    const saved = await designer.saveFile(member, slug, name, content);
    if (!saved.ok) {
      if (saved.reason === 'not-found') throw new NotFoundError();
      return answer(
        422,
        t(req, saved.reason === 'too-large' ? 'designer.web.tooLarge' : 'designer.web.fileNameInvalid'),
      );
    }
    if (wantsJson(req)) {
      const locale = localeOf(req);
      const problems = saved.problems
        .filter((problem) => problem.file === name)
        .map((problem) => problemView(locale, slug, problem));
      return res.json({ ok: true, problems });
    }
    // The translation file is saved from its form's editor page, and the page goes back there.
    const back = typeof req.query.return === 'string' && FILE_NAME.test(req.query.return) ? req.query.return : name;
    res.redirect(303, `/staff/designer/${slug}/files/${encodeURIComponent(back)}?saved=1`);
  });

  router.post('/designer/:slug/files/:name/delete', async (req, res) => {
    const member = serviceDesigner(req, res);
    if (!member) return;
    const slug = slugOf(req);
    if (!(await designer.deleteFile(member, slug, fileNameOf(req)))) throw new NotFoundError();
    res.redirect(303, `/staff/designer/${slug}?notice=fileDeleted`);
  });

  // The form editor's live preview: the sent form (and translation) rendered by the renderer companies see.
  router.post('/designer/:slug/files/:name/preview', async (req, res) => {
    if (!serviceDesigner(req, res)) return;
    const slug = slugOf(req);
    fileNameOf(req);
    if (!(await designer.draft(slug))) throw new NotFoundError();
    const content = await sentContent(req, 'content');
    const translation = await sentContent(req, 'translation');
    const locale: Locale = req.query.preview === 'en' ? 'en' : 'de';
    const preview = renderPreview(
      forms,
      typeof content === 'string' ? content : '',
      typeof translation === 'string' ? translation : undefined,
      locale,
    );
    res
      .status(preview.ok ? 200 : 422)
      .type('html')
      .send(preview.ok ? preview.html : `<p class="field__error">${escapeHtml(preview.message)}</p>`);
  });

  router.post('/designer/:slug/publish', async (req, res) => {
    const member = serviceDesigner(req, res);
    if (!member) return;
    const slug = slugOf(req);
    const published = await designer.publish(member, slug);
    if (!published.ok) return servicePage(req, res, slug, { status: 422, publishProblems: published.problems });
    return servicePage(req, res, slug, { published: { version: published.version, diff: published.diff } });
  });

  router.post('/designer/:slug/discard', async (req, res) => {
    const member = serviceDesigner(req, res);
    if (!member) return;
    const slug = slugOf(req);
    if (!(await designer.discardDraft(member, slug))) throw new NotFoundError();
    // A service that was only ever a draft is gone with it.
    res.redirect(
      303,
      (await designer.service(slug)) ? `/staff/designer/${slug}?notice=draftDiscarded` : '/staff/designer',
    );
  });

  router.post('/designer/:slug/pause', async (req, res) => {
    const member = serviceDesigner(req, res);
    if (!member) return;
    const slug = slugOf(req);
    const input = formInput(req);
    const values = { messageDe: text(input.messageDe).trim(), messageEn: text(input.messageEn).trim() };
    const errors: Record<string, string> = {};
    if (!values.messageDe) errors.messageDe = t(req, 'designer.web.pauseMessageMissing');
    if (!values.messageEn) errors.messageEn = t(req, 'designer.web.pauseMessageMissing');
    if (Object.keys(errors).length > 0) return servicePage(req, res, slug, { status: 422, pause: { values, errors } });
    if (!(await designer.pause(member, slug, { de: values.messageDe, en: values.messageEn })))
      throw new NotFoundError();
    res.redirect(303, `/staff/designer/${slug}?notice=paused`);
  });

  router.post('/designer/:slug/resume', async (req, res) => {
    const member = serviceDesigner(req, res);
    if (!member) return;
    const slug = slugOf(req);
    if (!(await designer.resume(member, slug))) throw new NotFoundError();
    res.redirect(303, `/staff/designer/${slug}?notice=resumed`);
  });

  router.get('/designer/:slug/export', async (req, res) => {
    if (!serviceDesigner(req, res)) return;
    const slug = slugOf(req);
    const version =
      typeof req.query.version === 'string' && /^\d{1,9}$/.test(req.query.version)
        ? Number(req.query.version)
        : undefined;
    const archive = await designer.exportArchive(slug, version);
    if (!archive) throw new NotFoundError();
    res.attachment(archive.fileName).type('application/zip').send(archive.zip);
  });

  return router;
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** `{name}` placeholders of a translated text filled in. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function stateText(locale: Locale, service: { paused?: unknown; versions: unknown[] }): string {
  if (service.versions.length === 0) return translate(locale, 'designer.web.state.unpublished');
  return translate(locale, service.paused ? 'designer.web.state.paused' : 'designer.web.state.active');
}

const NOTICES = new Set([
  'imported',
  'draftOpened',
  'metadataSaved',
  'fileDeleted',
  'draftDiscarded',
  'paused',
  'resumed',
]);
function noticeText(locale: Locale, notice: string): string | undefined {
  return NOTICES.has(notice) ? translate(locale, `designer.web.notice.${notice}`) : undefined;
}

/** The metadata form's values from the draft's service.json. */
function metadataValues(files: ServiceFiles): Record<string, string> {
  return metadataToForm(readMetadata(files));
}

type Preview = { ok: true; html: string } | { ok: false; message: string };

/** The form as companies see it, in `locale`, with its English translation applied for `en`. */
function renderPreview(forms: FormRenderer, content: string, translation: string | undefined, locale: Locale): Preview {
  try {
    const { form } = parseForm(JSON.parse(content));
    if (translation && translation.trim() !== '') {
      form.translations = { en: parseFormTranslation(JSON.parse(translation), form, 'translation') };
    }
    return { ok: true, html: forms.renderFields(form, { values: {}, errors: [], locale }) };
  } catch (error) {
    const message =
      error instanceof FormSchemaError || error instanceof SyntaxError || error instanceof Error
        ? error.message
        : String(error);
    return { ok: false, message: `${translate(locale, 'designer.web.previewFailed')} ${message}` };
  }
}
