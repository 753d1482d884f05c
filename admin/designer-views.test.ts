import { describe, expect, it } from 'vitest';
import { validateServiceFiles } from '../engine/designer/service-files.js';
import { diffServiceFiles } from '../engine/designer/version-diff.js';
import { templateFiles } from '../engine/designer/templates.js';
import {
  diffView,
  fileKindOf,
  metadataFromForm,
  metadataToForm,
  newFileContent,
  problemView,
} from './designer-views.js';

describe('the metadata form', () => {
  it('reads back what it shows (service.json ⇄ form fields)', () => {
    const metadata = {
      title: { de: 'Messestand', en: 'Trade fair stand' },
      summary: { de: 'Kurz', en: 'Short' },
      description: { de: 'Lang', en: 'Long' },
      category: 'Messen',
      requiredDocuments: { de: ['Lageplan', 'Skizze'], en: ['Site plan', 'Sketch'] },
      expectedDuration: { de: 'Zwei Wochen', en: 'Two weeks' },
      statusLabels: { in_review: { de: 'In Prüfung', en: 'In review' } },
      whoMayStart: 'everyone' as const,
      retentionDays: 365,
    };
    expect(metadataFromForm('de', metadataToForm(metadata))).toEqual({ ok: true, metadata });
  });

  it.each([
    [{ titleDe: '' }, 'titleDe', 'Bitte ausfüllen.'],
    [{ retentionDays: '0' }, 'retentionDays', 'Bitte eine ganze Zahl von 1 bis 36500.'],
    [{ retentionDays: '1.5' }, 'retentionDays', 'Bitte eine ganze Zahl von 1 bis 36500.'],
    [
      { statusLabelsDe: 'kein Doppelpunkt' },
      'statusLabelsDe',
      'Diese Zeile hat nicht die Form „Status: Bezeichnung“: „kein Doppelpunkt“',
    ],
    [
      { statusLabelsDe: 'done: Fertig', statusLabelsEn: '' },
      'statusLabelsEn',
      'Bitte die Bezeichnung in beiden Sprachen angeben für den Status done',
    ],
  ])('answers %o with an error at %s', (change, field, message) => {
    const values = { titleDe: 'T', titleEn: 'T', summaryDe: 'S', summaryEn: 'S', ...change };
    const result = metadataFromForm('de', values);
    expect(result.ok).toBe(false);
    expect(result.ok ? {} : result.errors).toMatchObject({ [field]: message });
  });
});

describe('problems', () => {
  it('speak the page’s language and link to their file, opened on the element', () => {
    const problem = {
      severity: 'error' as const,
      file: 'x.bpmn',
      elementId: 'Task_1',
      message: 'Keine Zuständigkeit',
      messageEn: 'No one responsible',
      source: 'bpmnlint' as const,
    };
    expect(problemView('en', 'x', problem)).toMatchObject({
      message: 'No one responsible',
      severityText: 'Error',
      href: '/staff/designer/x/files/x.bpmn?element=Task_1',
    });
    expect(problemView('de', 'x', { ...problem, messageEn: undefined }).message).toBe('Keine Zuständigkeit');
  });
});

describe('a new file', () => {
  it.each([
    ['a.bpmn', 'bpmn'],
    ['a.form', 'form'],
    ['a.dmn', 'dmn'],
    ['a.en.json', 'translation'],
    ['a.test.json', 'test'],
    ['service.json', 'manifest'],
    ['notes.txt', 'text'],
  ])('%s is of the kind %s', (name, kind) => {
    expect(fileKindOf(name)).toBe(kind);
  });

  it('starts as a file the validation reads without a parse error', async () => {
    const files = templateFiles('empty', { slug: 'neu', title: { de: 'Neu', en: 'New' } });
    const withNew = {
      ...files,
      'pruefung.form': newFileContent('pruefung.form'),
      'regeln.dmn': newFileContent('regeln.dmn'),
    };
    const problems = await validateServiceFiles(withNew);
    expect(problems.filter((problem) => problem.file === 'pruefung.form' && problem.severity === 'error')).toEqual([]);
    expect(problems.filter((problem) => problem.file === 'regeln.dmn' && problem.severity === 'error')).toEqual([]);
  });
});

describe('the diff in words', () => {
  it('names added elements with their kind and changed ones with what changed', async () => {
    const before = templateFiles('inquiry', { slug: 'a', title: { de: 'A', en: 'A' } });
    const bpmn = before['a.bpmn'] ?? '';
    const after = { ...before, 'a.bpmn': bpmn.replace('name="Anfrage beantworten"', 'name="Anfrage prüfen"') };
    const view = diffView('de', await diffServiceFiles(before, after));
    expect(view.empty).toBe(false);
    const changed = view.sections.find((section) => section.title === 'Geänderte Elemente');
    expect(changed?.items).toEqual(['Anfrage prüfen (Task_Answer, Aufgabe): Name']);
    expect(diffView('de', await diffServiceFiles(before, before)).empty).toBe(true);
  });
});
