/**
 * The designer pages' view data (admin/designer.routes.ts), pure: problems in the page's language with a link to
 * their file, a version diff in words, the metadata form (service.json's fields) and back, a new file's skeleton.
 */
import type { DesignProblem, ServiceMetadata } from '../engine/designer/service-files.js';
import type { ElementRef, VersionDiff } from '../engine/designer/version-diff.js';
import { translate, type Locale } from '../engine/web/i18n.js';

export type FileKind = 'bpmn' | 'form' | 'dmn' | 'translation' | 'test' | 'manifest' | 'text';

export function fileKindOf(name: string): FileKind {
  const lower = name.toLowerCase();
  if (lower === 'service.json') return 'manifest';
  if (lower.endsWith('.bpmn')) return 'bpmn';
  if (lower.endsWith('.form')) return 'form';
  if (lower.endsWith('.dmn')) return 'dmn';
  if (lower.endsWith('.test.json')) return 'test';
  if (/\.[a-z]{2}\.json$/.test(lower)) return 'translation';
  return 'text';
}

export interface ProblemView {
  severity: 'error' | 'warning';
  severityText: string;
  file: string;
  elementId?: string;
  fieldKey?: string;
  message: string;
  /** The file's editor, where the problem can be fixed. */
  href: string;
}

export function problemView(locale: Locale, slug: string, problem: DesignProblem): ProblemView {
  return {
    severity: problem.severity,
    severityText: translate(locale, `designer.web.${problem.severity}`),
    file: problem.file,
    ...(problem.elementId ? { elementId: problem.elementId } : {}),
    ...(problem.fieldKey ? { fieldKey: problem.fieldKey } : {}),
    message: locale === 'en' ? (problem.messageEn ?? problem.message) : problem.message,
    href: problem.file ? `${fileHref(slug, problem.file)}${targetQuery(problem)}` : `/staff/designer/${slug}`,
  };
}

const fileHref = (slug: string, file: string) => `/staff/designer/${slug}/files/${encodeURIComponent(file)}`;

/** The editor opens on the problem's element or field (admin/browser/designer-modeler.ts, designer-form.ts). */
function targetQuery(problem: DesignProblem): string {
  if (problem.elementId) return `?element=${encodeURIComponent(problem.elementId)}`;
  if (problem.fieldKey) return `?field=${encodeURIComponent(problem.fieldKey)}`;
  return '';
}

export interface DiffView {
  empty: boolean;
  sections: { title: string; items: string[] }[];
}

/** A version diff (engine/designer/version-diff.ts) in words: one list per kind of change that has entries. */
export function diffView(locale: Locale, diff: VersionDiff): DiffView {
  const t = (key: string) => translate(locale, key);
  const element = (ref: ElementRef) => {
    const kindName = ref.kind.replace(/^bpmn:/, '').replace(/^./, (first) => first.toLowerCase());
    // The case diagram's words for elements; the designer's own for what a case never stands on (flows).
    const kind =
      [`diagram.kind.${kindName}`, `designer.web.elementKind.${kindName}`]
        .map((key) => ({ key, text: t(key) }))
        .find(({ key, text }) => text !== key)?.text ?? ref.kind;
    return ref.name ? `${ref.name} (${ref.id}, ${kind})` : `${ref.id} (${kind})`;
  };
  const field = (entry: { key: string; label?: string }) => (entry.label ? `${entry.label} (${entry.key})` : entry.key);
  const sections: DiffView['sections'] = [
    { title: t('designer.web.diff.elementsAdded'), items: diff.elementsAdded.map(element) },
    { title: t('designer.web.diff.elementsRemoved'), items: diff.elementsRemoved.map(element) },
    {
      title: t('designer.web.diff.elementsChanged'),
      items: diff.elementsChanged.map(
        (changed) =>
          `${element(changed)}: ${changed.changes.map((aspect) => t(`designer.web.aspect.${aspect}`)).join(', ')}`,
      ),
    },
    { title: t('designer.web.diff.formsAdded'), items: diff.formsAdded },
    { title: t('designer.web.diff.formsRemoved'), items: diff.formsRemoved },
    {
      title: t('designer.web.diff.formsChanged'),
      items: diff.formsChanged.map((form) =>
        [
          form.formId,
          form.fieldsAdded.length > 0
            ? `${t('designer.web.diff.fieldsAdded')} ${form.fieldsAdded.map(field).join(', ')}`
            : '',
          form.fieldsRemoved.length > 0
            ? `${t('designer.web.diff.fieldsRemoved')} ${form.fieldsRemoved.map(field).join(', ')}`
            : '',
          form.fieldsChanged.length > 0
            ? `${t('designer.web.diff.fieldsChanged')} ${form.fieldsChanged
                .map((change) => `${field(change)} (${change.changes.join(', ')})`)
                .join(', ')}`
            : '',
        ]
          .filter(Boolean)
          .join(' · '),
      ),
    },
    { title: t('designer.web.diff.decisionsAdded'), items: diff.decisionsAdded },
    { title: t('designer.web.diff.decisionsRemoved'), items: diff.decisionsRemoved },
    { title: t('designer.web.diff.decisionsChanged'), items: diff.decisionsChanged },
    {
      title: t('designer.web.diff.metadataChanged'),
      items: diff.metadataChanged.map((key) => t(`designer.web.metaKey.${key}`)),
    },
    { title: t('designer.web.diff.filesAdded'), items: diff.filesAdded },
    { title: t('designer.web.diff.filesRemoved'), items: diff.filesRemoved },
    { title: t('designer.web.diff.filesChanged'), items: diff.filesChanged },
  ].filter((section) => section.items.length > 0);
  return { empty: diff.unchanged || sections.length === 0, sections };
}

export interface MetadataField {
  name: string;
  label: string;
  hint?: string;
  value: string;
  error?: string;
  lang?: 'de' | 'en';
  multiline?: boolean;
  number?: boolean;
  describedBy?: string;
}

/** The metadata form's fields in order: [name, language, multi-line, hint?]. */
const FIELDS: { name: string; lang?: 'de' | 'en'; multiline?: boolean; number?: boolean; hint?: boolean }[] = [
  { name: 'titleDe', lang: 'de' },
  { name: 'titleEn', lang: 'en' },
  { name: 'summaryDe', lang: 'de', multiline: true },
  { name: 'summaryEn', lang: 'en', multiline: true },
  { name: 'descriptionDe', lang: 'de', multiline: true },
  { name: 'descriptionEn', lang: 'en', multiline: true },
  { name: 'category' },
  { name: 'requiredDocumentsDe', lang: 'de', multiline: true, hint: true },
  { name: 'requiredDocumentsEn', lang: 'en', multiline: true, hint: true },
  { name: 'expectedDurationDe', lang: 'de' },
  { name: 'expectedDurationEn', lang: 'en' },
  { name: 'statusLabelsDe', lang: 'de', multiline: true, hint: true },
  { name: 'statusLabelsEn', lang: 'en', multiline: true, hint: true },
  { name: 'retentionDays', number: true, hint: true },
];

export function metadataFields(
  locale: Locale,
  values: Record<string, string>,
  errors: Record<string, string>,
): MetadataField[] {
  return FIELDS.map((field) => {
    const hint = field.hint ? translate(locale, `designer.web.meta.${field.name}.hint`) : undefined;
    const error = errors[field.name];
    const describedBy = [hint ? `${field.name}-hint` : '', error ? `${field.name}-error` : '']
      .filter(Boolean)
      .join(' ');
    return {
      name: field.name,
      label: translate(locale, `designer.web.meta.${field.name}`),
      value: values[field.name] ?? '',
      ...(hint ? { hint } : {}),
      ...(error ? { error } : {}),
      ...(field.lang ? { lang: field.lang } : {}),
      ...(field.multiline ? { multiline: true } : {}),
      ...(field.number ? { number: true } : {}),
      ...(describedBy ? { describedBy } : {}),
    };
  });
}

const lines = (value: string) =>
  value
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');

export function metadataToForm(metadata: ServiceMetadata | undefined): Record<string, string> {
  if (!metadata) return {};
  const labels = Object.entries(metadata.statusLabels ?? {});
  return {
    titleDe: metadata.title.de,
    titleEn: metadata.title.en,
    summaryDe: metadata.summary.de,
    summaryEn: metadata.summary.en,
    descriptionDe: metadata.description?.de ?? '',
    descriptionEn: metadata.description?.en ?? '',
    category: metadata.category ?? '',
    requiredDocumentsDe: (metadata.requiredDocuments?.de ?? []).join('\n'),
    requiredDocumentsEn: (metadata.requiredDocuments?.en ?? []).join('\n'),
    expectedDurationDe: metadata.expectedDuration?.de ?? '',
    expectedDurationEn: metadata.expectedDuration?.en ?? '',
    statusLabelsDe: labels.map(([status, label]) => `${status}: ${label.de}`).join('\n'),
    statusLabelsEn: labels.map(([status, label]) => `${status}: ${label.en}`).join('\n'),
    whoMayStart: metadata.whoMayStart ?? 'companies',
    retentionDays: metadata.retentionDays === undefined ? '' : String(metadata.retentionDays),
  };
}

export type MetadataResult = { ok: true; metadata: ServiceMetadata } | { ok: false; errors: Record<string, string> };

/** The metadata form read back; errors by field, in the page's language. */
export function metadataFromForm(locale: Locale, values: Record<string, string>): MetadataResult {
  const errors: Record<string, string> = {};
  const value = (name: string) => (values[name] ?? '').trim();
  for (const name of ['titleDe', 'titleEn', 'summaryDe', 'summaryEn']) {
    if (!value(name)) errors[name] = translate(locale, 'designer.web.meta.required');
  }
  const localized = (de: string, en: string) => (value(de) || value(en) ? { de: value(de), en: value(en) } : undefined);

  const statusLabels: Record<string, { de: string; en: string }> = {};
  const labelsOf = (name: string) => {
    const labels = new Map<string, string>();
    for (const line of lines(values[name] ?? '')) {
      const match = /^([A-Za-z0-9_-]+)\s*:\s*(.+)$/.exec(line);
      if (!match?.[1] || !match[2]) {
        errors[name] = `${translate(locale, 'designer.web.meta.statusLabelsInvalid')} „${line}“`;
        continue;
      }
      labels.set(match[1], match[2]);
    }
    return labels;
  };
  const de = labelsOf('statusLabelsDe');
  const en = labelsOf('statusLabelsEn');
  for (const status of new Set([...de.keys(), ...en.keys()])) {
    const labelDe = de.get(status);
    const labelEn = en.get(status);
    if (labelDe === undefined || labelEn === undefined) {
      errors[labelDe === undefined ? 'statusLabelsDe' : 'statusLabelsEn'] =
        `${translate(locale, 'designer.web.meta.statusLabelsBoth')} ${status}`;
      continue;
    }
    statusLabels[status] = { de: labelDe, en: labelEn };
  }

  let retentionDays: number | undefined;
  if (value('retentionDays') !== '') {
    retentionDays = Number(value('retentionDays'));
    if (!Number.isInteger(retentionDays) || retentionDays < 1 || retentionDays > 36_500) {
      errors.retentionDays = translate(locale, 'designer.web.meta.retentionInvalid');
    }
  }
  const whoMayStart = value('whoMayStart') === 'everyone' ? 'everyone' : 'companies';
  if (Object.keys(errors).length > 0) return { ok: false, errors };

  const description = localized('descriptionDe', 'descriptionEn');
  const expectedDuration = localized('expectedDurationDe', 'expectedDurationEn');
  const documentsDe = lines(values.requiredDocumentsDe ?? '');
  const documentsEn = lines(values.requiredDocumentsEn ?? '');
  return {
    ok: true,
    metadata: {
      title: { de: value('titleDe'), en: value('titleEn') },
      summary: { de: value('summaryDe'), en: value('summaryEn') },
      ...(description ? { description } : {}),
      ...(value('category') ? { category: value('category') } : {}),
      ...(documentsDe.length + documentsEn.length > 0
        ? { requiredDocuments: { de: documentsDe, en: documentsEn } }
        : {}),
      ...(expectedDuration ? { expectedDuration } : {}),
      ...(Object.keys(statusLabels).length > 0 ? { statusLabels } : {}),
      whoMayStart,
      ...(retentionDays !== undefined ? { retentionDays } : {}),
    },
  };
}

/** What a new file starts as: an empty but well-formed file of its kind, for its editor to open. */
export function newFileContent(name: string): string {
  const id = name.replace(/\.[^.]+$/, '').replace(/[^A-Za-z0-9_-]/g, '_');
  switch (fileKindOf(name)) {
    case 'bpmn':
      return [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="Definitions_1" targetNamespace="http://bpmn.io/schema/bpmn">',
        `  <bpmn:process id="${id}" isExecutable="true">`,
        '    <bpmn:startEvent id="StartEvent_1" />',
        '  </bpmn:process>',
        '  <bpmndi:BPMNDiagram id="BPMNDiagram_1">',
        `    <bpmndi:BPMNPlane id="BPMNPlane_1" bpmnElement="${id}">`,
        '      <bpmndi:BPMNShape id="StartEvent_1_di" bpmnElement="StartEvent_1">',
        '        <dc:Bounds x="180" y="100" width="36" height="36" />',
        '      </bpmndi:BPMNShape>',
        '    </bpmndi:BPMNPlane>',
        '  </bpmndi:BPMNDiagram>',
        '</bpmn:definitions>',
        '',
      ].join('\n');
    case 'form':
      return `${JSON.stringify({ id, type: 'default', schemaVersion: 16, components: [] }, null, 2)}\n`;
    case 'dmn':
      return [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" xmlns:dmndi="https://www.omg.org/spec/DMN/20191111/DMNDI/" xmlns:dc="http://www.omg.org/spec/DMN/20180521/DC/" id="Definitions_1" name="DRD" namespace="http://camunda.org/schema/1.0/dmn">',
        `  <decision id="${id}" name="${id}">`,
        '    <decisionTable id="DecisionTable_1">',
        '      <input id="Input_1"><inputExpression id="InputExpression_1" typeRef="string"><text></text></inputExpression></input>',
        '      <output id="Output_1" name="result" typeRef="string" />',
        '    </decisionTable>',
        '  </decision>',
        '  <dmndi:DMNDI><dmndi:DMNDiagram id="DMNDiagram_1">',
        `    <dmndi:DMNShape id="DMNShape_1" dmnElementRef="${id}"><dc:Bounds height="80" width="180" x="160" y="100" /></dmndi:DMNShape>`,
        '  </dmndi:DMNDiagram></dmndi:DMNDI>',
        '</definitions>',
        '',
      ].join('\n');
    case 'translation':
    case 'test':
    case 'manifest':
      return '{}\n';
    case 'text':
      return '';
  }
}
