import { describe, expect, it } from 'vitest';
import { readMetadata, withMetadata } from './service-files.js';
import { templateFiles } from './templates.js';
import { diffServiceFiles } from './version-diff.js';

// Invariant: the diff names what changed in a designer's terms — elements by id with what changed about them,
// form fields by key, decisions by id, metadata by key — and says "unchanged" only when no byte differs.

const SLUG = 'diff-test';
const BPMN = `${SLUG}.bpmn`;
const base = templateFiles('application', { slug: SLUG, title: { de: 'Antrag', en: 'Application' } });
const edit = (name: string, change: (text: string) => string) => ({ ...base, [name]: change(base[name] ?? '') });

describe('diffServiceFiles', () => {
  it('finds nothing between equal files', async () => {
    const diff = await diffServiceFiles(base, { ...base });
    expect(diff.unchanged).toBe(true);
    expect(diff.elementsChanged).toEqual([]);
  });

  it('lists every element of a new service as added', async () => {
    const diff = await diffServiceFiles({}, base);
    expect(diff.elementsAdded.map((element) => element.id)).toContain('Task_Review');
    expect(diff.formsAdded.sort()).toEqual([`${SLUG}-review`, `${SLUG}-start`]);
    expect(diff.unchanged).toBe(false);
  });

  it('says what changed about an element: name, assignment, job type, condition', async () => {
    const after = edit(BPMN, (xml) =>
      xml
        .replace('name="Antrag prüfen"', 'name="Antrag fachlich prüfen"')
        .replace('candidateGroups="wirtschaftsfoerderung"', 'candidateGroups="foerderung"')
        .replace('=approved = true', '=approved = true and amount &lt; 1000'),
    );
    const diff = await diffServiceFiles(base, after);
    const byId = Object.fromEntries(diff.elementsChanged.map((element) => [element.id, element]));
    expect(byId.Task_Review).toMatchObject({ name: 'Antrag fachlich prüfen', kind: 'bpmn:UserTask' });
    expect(byId.Task_Review?.changes).toEqual(['name', 'assignment']);
    expect(byId.Flow_Approved?.changes).toEqual(['condition']);
    expect(diff.filesChanged).toEqual([BPMN]);
  });

  it('names removed and added elements and a changed job type', async () => {
    const after = edit(BPMN, (xml) =>
      xml
        .replace('id="Task_NotifyDeclined"', 'id="Task_InformDeclined"')
        .replace(/Task_NotifyDeclined/g, 'Task_InformDeclined')
        .replace('type="document"', 'type="email"'),
    );
    const diff = await diffServiceFiles(base, after);
    expect(diff.elementsRemoved).toEqual([
      { id: 'Task_NotifyDeclined', name: 'Ablehnung mitteilen', kind: 'bpmn:ServiceTask' },
    ]);
    expect(diff.elementsAdded.map((element) => element.id)).toEqual(['Task_InformDeclined']);
    const letter = diff.elementsChanged.find((element) => element.id === 'Task_ApprovalLetter');
    expect(letter?.changes).toContain('jobType');
  });

  it('names form fields added, removed and changed by key', async () => {
    const form = `${SLUG}-review.form`;
    const json = JSON.parse(base[form] ?? '{}') as { components: Record<string, unknown>[] };
    json.components = json.components
      .filter((component) => component.key !== 'approved')
      .map((component) => (component.key === 'reason' ? { ...component, label: 'Begründung' } : component));
    json.components.push({ id: 'Field_Amount', type: 'number', key: 'amount', label: 'Betrag' });
    const diff = await diffServiceFiles(base, { ...base, [form]: JSON.stringify(json) });
    expect(diff.formsChanged).toEqual([
      {
        formId: `${SLUG}-review`,
        file: form,
        fieldsAdded: [{ key: 'amount', label: 'Betrag' }],
        fieldsRemoved: [{ key: 'approved', label: 'Antrag bewilligen' }],
        fieldsChanged: [{ key: 'reason', label: 'Begründung', changes: ['label'] }],
      },
    ]);
    expect(diff.elementsChanged).toEqual([]);
  });

  it('names changed metadata and changed decisions', async () => {
    const metadata = readMetadata(base);
    if (!metadata) throw new Error('template without metadata');
    const withDecision = {
      ...base,
      'rules.dmn': '<definitions><decision id="Decision_A" name="A"><x>1</x></decision></definitions>',
    };
    const after = {
      ...withMetadata(withDecision, { ...metadata, category: 'Förderung' }),
      'rules.dmn':
        '<definitions><decision id="Decision_A" name="A"><x>2</x></decision><decision id="Decision_B"></decision></definitions>',
    };
    const diff = await diffServiceFiles(withDecision, after);
    expect(diff.metadataChanged).toEqual(['category']);
    expect(diff.decisionsChanged).toEqual(['Decision_A']);
    expect(diff.decisionsAdded).toEqual(['Decision_B']);
  });
});
