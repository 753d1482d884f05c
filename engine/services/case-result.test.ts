import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseForm } from '../../forms/schema.js';
import { summarizeAnswers } from '../../forms/summary.js';
import { definitionFromFiles, validateServiceFiles, type ServiceFiles } from '../designer/service-files.js';
import { caseResultOf, resultConfigOf } from './case-result.js';
import { readServiceFolder } from './service-definition.js';

// Invariant: a company sees only the result form's fields and the documents named by the result's variables —
// nothing else of the case's variables; a service without `result` shows nothing; a result form must exist.

const CATALOG = path.resolve(import.meta.dirname, '../../workflows/catalog');

const form = parseForm({
  id: 'demo-result',
  type: 'default',
  schemaVersion: 16,
  components: [
    { id: 'Field_Answer', type: 'textarea', key: 'answer', label: 'Antwort' },
    {
      id: 'Group_Contact',
      type: 'group',
      path: 'contact',
      components: [{ id: 'F_N', type: 'textfield', key: 'name', label: 'Name' }],
    },
  ],
}).form;

describe('resultConfigOf', () => {
  it('reads the form and the document variables of service.json', () => {
    expect(resultConfigOf(JSON.stringify({ result: { form: 'x', documents: ['letterId'] } }))).toEqual({
      form: 'x',
      documents: ['letterId'],
    });
    expect(resultConfigOf(JSON.stringify({ result: { form: 'x' } }))).toEqual({ form: 'x', documents: [] });
  });

  it('is undefined without a result, without service.json or for broken JSON', () => {
    expect(resultConfigOf(JSON.stringify({ slug: 'a' }))).toBeUndefined();
    expect(resultConfigOf(undefined)).toBeUndefined();
    expect(resultConfigOf('{')).toBeUndefined();
    expect(resultConfigOf(JSON.stringify({ result: { form: 3 } }))).toBeUndefined();
  });
});

describe('caseResultOf', () => {
  const forms = { 'demo-result': form };
  const config = { form: 'demo-result', documents: ['letterId', 'annexIds'] };

  it('keeps only the result form’s variables and the named documents', () => {
    const variables = {
      answer: 'Ja.',
      contact: { name: 'Eva' },
      internalNote: 'geheim',
      letterId: 'doc-1',
      annexIds: ['doc-2', 'doc-1', 7],
    };
    expect(caseResultOf(config, forms, variables)).toEqual({
      form,
      values: { answer: 'Ja.', contact: { name: 'Eva' } },
      documentIds: ['doc-1', 'doc-2'],
    });
  });

  it('has no values and no documents before the case set them', () => {
    expect(caseResultOf(config, forms, { subject: 'Frage' })).toEqual({ form, values: {}, documentIds: [] });
  });

  it('is undefined without a config or when the version lacks the form', () => {
    expect(caseResultOf(undefined, forms, { answer: 'x' })).toBeUndefined();
    expect(caseResultOf({ form: 'other', documents: [] }, forms, { answer: 'x' })).toBeUndefined();
  });

  it('does not read inherited properties as variables', () => {
    const tricky = parseForm({
      id: 't',
      type: 'default',
      schemaVersion: 16,
      components: [{ id: 'F', type: 'textfield', key: 'toString', label: 'x' }],
    }).form;
    expect(caseResultOf({ form: 't', documents: [] }, { t: tricky }, {})?.values).toEqual({});
  });
});

describe('the shipped services', () => {
  it('declare a result form that shows the general inquiry’s answer in German and English', async () => {
    const definition = await definitionFromFiles(await readServiceFolder(path.join(CATALOG, 'general-inquiry')));
    const result = caseResultOf(resultConfigOf(definition.files['service.json']), definition.forms, {
      answer: 'Die Antwort.',
      subject: 'Frage',
      followUpCall: true,
    });
    expect(summarizeAnswers(result!.form, result!.values, 'de')).toEqual([
      { key: 'answer', label: 'Unsere Antwort', value: 'Die Antwort.' },
    ]);
    expect(summarizeAnswers(result!.form, result!.values, 'en')[0]?.label).toBe('Our answer');
  });

  /** The result lines of a shipped service for these variables. */
  async function linesOf(slug: string, variables: Record<string, unknown>, locale: 'de' | 'en' = 'de') {
    const definition = await definitionFromFiles(await readServiceFolder(path.join(CATALOG, slug)));
    const result = caseResultOf(resultConfigOf(definition.files['service.json']), definition.forms, variables);
    if (!result) throw new Error(`${slug} declares no result`);
    return summarizeAnswers(result.form, result.values, locale, variables).map(({ label, value }) => ({
      label,
      value,
    }));
  }

  it('funding inquiry: the confirmed programmes by name and hint, the assessment, then the appointment', async () => {
    const suggested = {
      suggestedProgrammes: [
        { programmeId: 'grw', programmeName: 'GRW-Investitionszuschuss', fundingRateHint: 'bis zu 30 % Zuschuss' },
        { programmeId: 'erp', programmeName: 'ERP-Förderkredit', fundingRateHint: 'zinsgünstiges Darlehen' },
      ],
      confirmedProgrammes: ['erp'],
      advice: 'Beantragen Sie den Kredit über Ihre Hausbank.',
      internalNote: 'nur intern',
    };
    // The decision table's suggestions alone are no result: the caseworker has not confirmed them yet
    expect(await linesOf('funding-inquiry', { suggestedProgrammes: suggested.suggestedProgrammes })).toEqual([]);
    const sent = await linesOf('funding-inquiry', suggested);
    expect(sent).toEqual([
      { label: 'Passende Förderprogramme', value: 'ERP-Förderkredit: zinsgünstiges Darlehen' },
      { label: 'Unsere Einschätzung', value: 'Beantragen Sie den Kredit über Ihre Hausbank.' },
    ]);
    const withAppointment = await linesOf(
      'funding-inquiry',
      { ...suggested, appointmentAt: '2027-03-01T10:00', appointmentPlace: 'Raum 2', appointmentContact: 'Eva Lotse' },
      'en',
    );
    expect(withAppointment.map((line) => line.label)).toEqual([
      'Funding programmes that fit',
      'Our assessment',
      'Appointment',
      'Place',
      'Your contact',
    ]);
    expect(withAppointment[2]?.value).toContain('2027');
  });

  it('site search: each offered site with its size and price, and the message to the company', async () => {
    const lines = await linesOf('site-search', {
      matchedSites: [{ siteId: 'x', name: 'Nicht angeboten' }],
      offeredSites: [
        { label: 'Am Kreuz', value: 'kreuz', name: 'Gewerbepark Am Kreuz', municipality: 'Nordheim', areaSqm: 4800 },
      ],
      offerText: 'Die Fläche ist sofort verfügbar.',
      internalNote: 'nur intern',
    });
    expect(lines.map((line) => line.value)).toEqual([
      'Gewerbepark Am Kreuz',
      'Nordheim',
      expect.stringMatching(/^4\.?800$/),
      'Die Fläche ist sofort verfügbar.',
    ]);
    expect(lines[0]?.label).toMatch(/^Fläche \(Angebotene Fläche/);
  });

  it('permit guidance names its decision letter as a public document', async () => {
    const files = await readServiceFolder(path.join(CATALOG, 'permit-guidance'));
    expect(resultConfigOf(files['service.json'])).toEqual({
      form: 'permit-guidance-result',
      documents: ['decisionDocumentId'],
    });
  });

  it('a result form that is not one of the forms is an error for the designer and refused by the loader', async () => {
    const files = await readServiceFolder(path.join(CATALOG, 'general-inquiry'));
    const manifest = JSON.parse(files['service.json'] ?? '{}') as Record<string, unknown>;
    const broken: ServiceFiles = {
      ...files,
      'service.json': JSON.stringify({ ...manifest, result: { form: 'no-such-form' } }),
    };
    const problems = (await validateServiceFiles(broken)).filter((problem) => problem.severity === 'error');
    expect(problems.map((problem) => problem.messageEn)).toEqual([
      'service.json: result: form "no-such-form" is not one of the service\'s forms',
    ]);
    await expect(definitionFromFiles(broken)).rejects.toThrow(/result: form "no-such-form"/);
  });

  it('a version’s content hash counts its result (a changed result is a new version)', async () => {
    const files = await readServiceFolder(path.join(CATALOG, 'general-inquiry'));
    const manifest = JSON.parse(files['service.json'] ?? '{}') as Record<string, unknown>;
    const without = { ...files, 'service.json': JSON.stringify({ ...manifest, result: undefined }) };
    const [a, b] = await Promise.all([definitionFromFiles(files), definitionFromFiles(without)]);
    expect(a.contentHash).not.toBe(b.contentHash);
  });
});
