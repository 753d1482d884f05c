import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readServiceFolder } from '../services/service-definition.js';
import {
  definitionFromFiles,
  isValidFileName,
  readMetadata,
  validateServiceFiles,
  withMetadata,
  type DesignProblem,
  type ServiceFiles,
} from './service-files.js';

// Invariant: validation reports every problem of a service's files by file and element (German, naming the
// element) and never throws; a shipped service has no error; the loader compiles a map as it compiled a folder.

const CATALOG = path.resolve(import.meta.dirname, '../../workflows/catalog');
let inquiry: ServiceFiles;

beforeAll(async () => {
  inquiry = await readServiceFolder(path.join(CATALOG, 'general-inquiry'));
});

const BPMN = 'general-inquiry.bpmn';
const errors = (problems: DesignProblem[]) => problems.filter((problem) => problem.severity === 'error');
const change = (name: string, edit: (text: string) => string): ServiceFiles => ({
  ...inquiry,
  [name]: edit(inquiry[name] ?? ''),
});

describe('validateServiceFiles', () => {
  it('finds no error in the shipped services', async () => {
    for (const slug of ['general-inquiry', 'funding-inquiry', 'permit-guidance', 'site-search']) {
      expect(errors(await validateServiceFiles(await readServiceFolder(path.join(CATALOG, slug)))), slug).toEqual([]);
    }
  });

  it('refuses a BPMN file with a DTD: no entity is expanded, no file read (XXE, billion laughs)', async () => {
    const doctype =
      '<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd"><!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>';
    const files = change(BPMN, (xml) =>
      xml.replace(/^(<\?xml[^>]*\?>)/, `$1${doctype}`).replace(/name="[^"]*"/, 'name="&xxe;&b;"'),
    );
    const problems = errors(await validateServiceFiles(files));
    expect(problems).toContainEqual(expect.objectContaining({ file: BPMN, source: 'compiler' }));
    expect(JSON.stringify(problems)).not.toContain('root:');
    await expect(definitionFromFiles(files)).rejects.toThrow();
  });

  it('answers a form nested a hundred thousand levels deep with a problem, not a crash', async () => {
    const deep = `{"components":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const problems = errors(await validateServiceFiles({ ...inquiry, 'general-inquiry-start.form': deep }));
    expect(problems).toContainEqual(expect.objectContaining({ file: 'general-inquiry-start.form', source: 'form' }));
  });

  it('warns that "everyone may start" has no effect while the portal starts services for signed-in companies only', async () => {
    const files = change('service.json', (json) => JSON.stringify({ ...JSON.parse(json), whoMayStart: 'everyone' }));
    const problems = await validateServiceFiles(files);
    expect(errors(problems)).toEqual([]);
    expect(problems).toContainEqual(
      expect.objectContaining({
        severity: 'warning',
        file: 'service.json',
        message: expect.stringContaining('wirkt noch nicht'),
      }),
    );
  });

  it('names a user task nobody is responsible for (bpmnlint rule of Lotse)', async () => {
    const files = change(BPMN, (xml) =>
      xml.replace('<zeebe:assignmentDefinition candidateGroups="wirtschaftsfoerderung" />', ''),
    );
    const problem = errors(await validateServiceFiles(files)).find((p) => p.source === 'bpmnlint');
    expect(problem).toMatchObject({ file: BPMN, elementId: 'Task_Answer', severity: 'error' });
    expect(problem?.message).toBe(
      '„Anfrage beantworten“ (Task_Answer) hat keine Zuständigkeit: tragen Sie eine Bearbeiterin, ' +
        'Kandidatengruppen oder Kandidaten ein (Zuständigkeit)',
    );
  });

  it('names the element of a compiler error and a condition that does not parse (FEEL)', async () => {
    const files = change(BPMN, (xml) => xml.replace('=followUpCall = true', '=followUpCall = (true'));
    const problems = errors(await validateServiceFiles(files));
    expect(problems).toContainEqual(expect.objectContaining({ source: 'feel', file: BPMN }));
    const feel = problems.find((p) => p.source === 'feel');
    expect(feel?.elementId).toBeTruthy();
    expect(feel?.message).toContain(feel?.elementId ?? '?');
  });

  it('names an unknown job type with the task', async () => {
    // The site search's matching job (the general inquiry has no job of its own since ADR 0029)
    const siteSearch = await readServiceFolder(path.join(CATALOG, 'site-search'));
    const siteBpmn = 'site-search.bpmn';
    const files = {
      ...siteSearch,
      [siteBpmn]: (siteSearch[siteBpmn] ?? '').replace('type="site-matching"', 'type="fax"'),
    };
    const problem = errors(await validateServiceFiles(files)).find((p) => p.message.includes('fax'));
    expect(problem).toMatchObject({ source: 'reference', file: siteBpmn, elementId: 'Task_MatchSites' });
    expect(problem?.message).toMatch(/unbekannten Aufgabentyp „fax“/);
    expect(problem?.message).toContain(problem?.elementId ?? '?');
  });

  it('names a form the model refers to that does not exist', async () => {
    const files = change(BPMN, (xml) => xml.replace('formId="general-inquiry-answer"', 'formId="no-such-form"'));
    const problem = errors(await validateServiceFiles(files)).find((p) => p.source === 'reference');
    expect(problem).toMatchObject({ elementId: 'Task_Answer' });
    expect(problem?.message).toContain('„no-such-form“');
  });

  it('files a DMN problem under its DMN file and names a task calling a decision that does not exist', async () => {
    const funding = await readServiceFolder(path.join(CATALOG, 'funding-inquiry'));
    const broken = {
      ...funding,
      'funding-eligibility.dmn': (funding['funding-eligibility.dmn'] ?? '').replace(
        '<inputExpression',
        '<inputExpressionX',
      ),
    };
    expect(errors(await validateServiceFiles(broken))).toContainEqual(
      expect.objectContaining({ source: 'dmn', file: 'funding-eligibility.dmn' }),
    );
    const missing = {
      ...funding,
      'funding-inquiry.bpmn': (funding['funding-inquiry.bpmn'] ?? '').replace(
        'decisionId="funding-eligibility"',
        'decisionId="gone"',
      ),
    };
    const problem = errors(await validateServiceFiles(missing))[0];
    expect(problem).toMatchObject({ file: 'funding-inquiry.bpmn', elementId: 'Task_CheckEligibility' });
    expect(problem?.message).toMatch(/^„Förderprogramme ermitteln“ \(Task_CheckEligibility\): .*"gone"/);
  });

  it('names a form file service.json lists but the service lacks', async () => {
    const files: ServiceFiles = { ...inquiry };
    delete files['general-inquiry-call.form'];
    const problems = errors(await validateServiceFiles(files));
    expect(problems).toContainEqual(
      expect.objectContaining({ source: 'reference', message: expect.stringContaining('general-inquiry-call.form') }),
    );
  });

  it('names the field of a form problem', async () => {
    const files = change('general-inquiry-answer.form', (json) =>
      json.replace('"type": "textarea"', '"type": "hologram"'),
    );
    const problem = errors(await validateServiceFiles(files)).find((p) => p.source === 'form');
    expect(problem).toMatchObject({ file: 'general-inquiry-answer.form', fieldKey: 'Field_Answer' });
    expect(problem?.message).toContain('Field_Answer');
  });

  it('names a translation that does not fit its form', async () => {
    const files = change('general-inquiry-answer.en.json', (json) => json.replace('Field_Answer', 'Field_Gone'));
    const problem = errors(await validateServiceFiles(files)).find((p) => p.file === 'general-inquiry-answer.en.json');
    expect(problem?.source).toBe('form');
  });

  it('reports service.json that is no JSON or misses a title, and a scenario that does not parse', async () => {
    const broken = errors(await validateServiceFiles({ ...inquiry, 'service.json': '{' }));
    expect(broken[0]).toMatchObject({ source: 'manifest', file: 'service.json' });
    const untitled = change('service.json', (json) => json.replace('"title"', '"titel"'));
    expect(errors(await validateServiceFiles(untitled))[0]?.message).toContain('title');
    const scenario = errors(await validateServiceFiles({ ...inquiry, 'general-inquiry.test.json': '[1,' }));
    expect(scenario).toEqual([expect.objectContaining({ source: 'scenario', file: 'general-inquiry.test.json' })]);
  });

  it('refuses file names with folders or dots only', async () => {
    expect(isValidFileName('a.bpmn')).toBe(true);
    for (const name of ['../x', 'a/b.form', '..', '.', '', 'ä.form', 'x'.repeat(101)]) {
      expect(isValidFileName(name), name).toBe(false);
    }
    const problems = await validateServiceFiles({ ...inquiry, 'a b.txt': 'x' });
    expect(problems).toContainEqual(expect.objectContaining({ source: 'manifest', file: 'a b.txt' }));
  });
});

describe('definitionFromFiles', () => {
  it('compiles the map as the folder loader does, keeping every file', async () => {
    const definition = await definitionFromFiles(inquiry);
    expect(definition.slug).toBe('general-inquiry');
    expect(definition.files).toEqual(inquiry);
    expect(Object.keys(definition.forms).sort()).toEqual([
      'general-inquiry-answer',
      'general-inquiry-call',
      'general-inquiry-result',
      'general-inquiry-start',
    ]);
  });

  it('keeps the content hash when only descriptive metadata changes', async () => {
    const before = await definitionFromFiles(inquiry);
    const metadata = readMetadata(inquiry);
    expect(metadata?.title.de).toBe('Allgemeine Anfrage');
    const after = await definitionFromFiles(
      withMetadata(inquiry, { ...metadata!, category: 'Beratung', whoMayStart: 'companies' }),
    );
    expect(after.contentHash).toBe(before.contentHash);
    expect(after.metadata).toMatchObject({ category: 'Beratung', whoMayStart: 'companies' });
  });
});
