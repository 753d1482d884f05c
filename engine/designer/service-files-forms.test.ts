import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { definitionFromFiles, validateServiceFiles, type ServiceFiles } from './service-files.js';

// Invariant (ADR 0034): forms as the editors write them load; what form-js ignores is a warning for the designer,
// never an error, and a form embedded in the BPMN travels with the service like a linked one.

const CORPUS = path.resolve(import.meta.dirname, '../../test/conformance/forms-from-editors');
const read = (file: string) => readFileSync(path.join(CORPUS, file), 'utf8');

function service(bpmn: string, forms: string[]): ServiceFiles {
  const manifest = {
    slug: 'forms-from-editors',
    title: { de: 'Formulare', en: 'Forms' },
    summary: { de: 'Formulare aus den Editoren', en: 'Forms from the editors' },
    bpmn,
    forms,
  };
  return {
    'service.json': JSON.stringify(manifest),
    [bpmn]: read(bpmn),
    ...Object.fromEntries(forms.map((file) => [file, read(file)])),
  };
}

describe('forms from the editors in a service', () => {
  it('lists what a linked form leaves out as warnings, never as errors', async () => {
    const problems = await validateServiceFiles(service('forms-linked.bpmn', ['editor-leftovers.form']));
    const formProblems = problems.filter((problem) => problem.source === 'form');

    expect(problems.filter((problem) => problem.severity === 'error')).toEqual([]);
    expect(formProblems.length).toBeGreaterThan(5);
    expect(formProblems.every((problem) => problem.severity === 'warning')).toBe(true);
    expect(formProblems).toContainEqual(
      expect.objectContaining({
        file: 'editor-leftovers.form',
        fieldKey: 'Text_Intro',
        message:
          'Formular „editor-leftovers.form“, Feld Text_Intro: property label is ignored (form-js does not use it here)',
      }),
    );
  });

  it('publishes a linked form without what it left out', async () => {
    const definition = await definitionFromFiles(service('forms-linked.bpmn', ['editor-leftovers.form']));
    const form = definition.forms['conformance-editor-leftovers'];

    expect(form?.components.map((component) => component.type)).toEqual([
      'text',
      'textfield',
      'number',
      'select',
      'checkbox',
      'html',
      'image',
    ]);
    expect(definition.model.elements['Task_Recheck']).toMatchObject({ formId: 'conformance-editor-leftovers' });
    expect(definition.model.elements['Task_External']).not.toHaveProperty('formId');
  });

  it('publishes a form embedded in the BPMN under its zeebe:userTaskForm id', async () => {
    const problems = await validateServiceFiles(service('forms-embedded.bpmn', []));
    expect(problems.filter((problem) => problem.severity === 'error')).toEqual([]);
    const definition = await definitionFromFiles(service('forms-embedded.bpmn', []));

    expect(definition.model.elements['Task_Decide']).toMatchObject({ formId: 'UserTaskForm_Decide' });
    expect(definition.forms['UserTaskForm_Decide']).toMatchObject({
      id: 'UserTaskForm_Decide',
      components: [
        { id: 'Field_Decision', type: 'radio', key: 'decision' },
        { id: 'Field_Notify', type: 'checkbox', key: 'notify' },
      ],
    });
  });

  it('names a broken embedded form as an error of the BPMN file', async () => {
    const files = service('forms-embedded.bpmn', []);
    const broken = {
      ...files,
      'forms-embedded.bpmn': (files['forms-embedded.bpmn'] ?? '').replace('&#34;radio&#34;', '&#34;signature&#34;'),
    };

    expect(await validateServiceFiles(broken)).toContainEqual(
      expect.objectContaining({
        severity: 'error',
        file: 'forms-embedded.bpmn',
        fieldKey: 'Field_Decision',
        source: 'form',
      }),
    );
    await expect(definitionFromFiles(broken)).rejects.toThrow(/Field_Decision \(signature\)/);
  });
});
