import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileDecisions, decisionIssuesToText } from './compile-decisions.js';
import type { DecisionModel } from './decision-model.js';
import { evaluateDecision } from './evaluate-decision.js';

async function compile(xml: string): Promise<Map<string, DecisionModel>> {
  const result = await compileDecisions(xml);
  if (!result.ok) {
    throw new Error(`expected the decisions to compile:\n${decisionIssuesToText(result.errors)}`);
  }
  return new Map(result.decisions.map((decision) => [decision.id, decision]));
}

/** One decision table with the given columns and rules, DI-free. */
async function table(body: string, hitPolicy = 'UNIQUE'): Promise<DecisionModel> {
  const decisions = await compile(`<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="Definitions_Test" name="Test"
  namespace="http://camunda.org/schema/1.0/dmn">
  <decision id="test"><decisionTable id="Table_Test" hitPolicy="${hitPolicy}">${body}</decisionTable></decision>
</definitions>`);
  const decision = decisions.get('test');
  if (decision === undefined) {
    throw new Error('the test decision did not compile');
  }
  return decision;
}

function input(id: string, expression: string, label = id): string {
  return `<input id="${id}" label="${label}"><inputExpression><text>${expression}</text></inputExpression></input>`;
}

function output(id: string, name = id): string {
  return `<output id="${id}" name="${name}" />`;
}

function rule(id: string, inputEntries: string[], outputEntries: string[]): string {
  const cells = [
    ...inputEntries.map((text) => `<inputEntry><text>${text}</text></inputEntry>`),
    ...outputEntries.map((text) => `<outputEntry><text>${text}</text></outputEntry>`),
  ];
  return `<rule id="${id}">${cells.join('')}</rule>`;
}

const hitPolicies = await compile(readFileSync(new URL('./fixtures/hit-policies.dmn', import.meta.url), 'utf8'));

function decision(id: string): DecisionModel {
  const found = hitPolicies.get(id);
  if (found === undefined) {
    throw new Error(`no decision ${id} in hit-policies.dmn`);
  }
  return found;
}

describe('evaluateDecision: hit policies', () => {
  it.each([
    // UNIQUE: one rule may match; a single output is returned as its value
    { decision: 'size-class', given: { employees: 5 }, result: 'kleinst', matched: ['SizeClass_Micro'] },
    { decision: 'size-class', given: { employees: 50 }, result: 'mittel', matched: ['SizeClass_Medium'] },
    { decision: 'size-class', given: { employees: 250 }, result: 'gross', matched: ['SizeClass_Large'] },
    { decision: 'size-class', given: {}, result: null, matched: [] },
    // FIRST: the first matching rule in rule order wins
    {
      decision: 'contact-channel',
      given: { urgent: true, amount: 80000 },
      result: 'telefon',
      matched: ['Channel_Phone'],
    },
    {
      decision: 'contact-channel',
      given: { urgent: false, amount: 80000 },
      result: 'termin',
      matched: ['Channel_Meeting'],
    },
    { decision: 'contact-channel', given: { urgent: false, amount: 500 }, result: 'email', matched: ['Channel_Email'] },
    // ANY: several rules may match when they agree
    {
      decision: 'document-status',
      given: { missingDocuments: 2, signed: false },
      result: 'unvollständig',
      matched: ['Documents_Missing', 'Documents_Unsigned'],
    },
    {
      decision: 'document-status',
      given: { missingDocuments: 0, signed: true },
      result: 'vollständig',
      matched: ['Documents_Complete'],
    },
    // PRIORITY: the output value listed first wins; several outputs come back as an object by name
    {
      decision: 'risk-level',
      given: { amount: 200000, firstApplication: true },
      result: { risk: 'hoch', reviewer: 'Abteilungsleitung' },
      matched: ['Risk_Low', 'Risk_New', 'Risk_Amount'],
    },
    {
      decision: 'risk-level',
      given: { amount: 2000, firstApplication: true },
      result: { risk: 'mittel', reviewer: 'Teamleitung' },
      matched: ['Risk_Low', 'Risk_New'],
    },
    {
      decision: 'risk-level',
      given: { amount: 2000, firstApplication: false },
      result: { risk: 'niedrig', reviewer: 'Sachbearbeitung' },
      matched: ['Risk_Low'],
    },
    // COLLECT: every match, as a list
    {
      decision: 'required-documents',
      given: { projectType: 'investition', amount: 60000 },
      result: ['Antragsformular', 'Kostenplan', 'Jahresabschluss'],
      matched: ['Documents_Form', 'Documents_CostPlan', 'Documents_Accounts'],
    },
    {
      decision: 'required-documents',
      given: { projectType: 'gruendung', amount: 60000 },
      result: ['Antragsformular', 'Businessplan'],
      matched: ['Documents_Form', 'Documents_BusinessPlan'],
    },
    // COLLECT with aggregation, over the rules < 10 → 30, < 50 → 20, < 250 → 10
    ...[
      { aggregation: 'sum', allThree: 60, lastTwo: 30 },
      { aggregation: 'min', allThree: 10, lastTwo: 10 },
      { aggregation: 'max', allThree: 30, lastTwo: 20 },
      { aggregation: 'count', allThree: 3, lastTwo: 2 },
    ].flatMap(({ aggregation, allThree, lastTwo }) => {
      const id = `points-${aggregation}`;
      const prefix = `Points${aggregation.charAt(0).toUpperCase()}${aggregation.slice(1)}`;
      return [
        {
          decision: id,
          given: { employees: 5 },
          result: allThree,
          matched: [`${prefix}_Micro`, `${prefix}_Small`, `${prefix}_Medium`],
        },
        { decision: id, given: { employees: 30 }, result: lastTwo, matched: [`${prefix}_Small`, `${prefix}_Medium`] },
      ];
    }),
    // RULE ORDER: every match in rule order; an empty output cell is null
    {
      decision: 'advice-notes',
      given: { amount: 150000, region: 'strukturschwach' },
      result: [
        { note: 'Hausbank früh einbinden', link: 'https://example.org/hausbank' },
        { note: 'Vor Vorhabenbeginn beantragen', link: null },
        { note: 'Regionalzuschlag prüfen', link: 'https://example.org/region' },
      ],
      matched: ['Note_Bank', 'Note_Deadline', 'Note_Region'],
    },
    // OUTPUT ORDER: every match, sorted by the output values list; matchedRules stay in rule order
    {
      decision: 'review-steps',
      given: { amount: 250000 },
      result: ['Vier-Augen-Prüfung', 'Fachprüfung', 'Formalprüfung'],
      matched: ['Step_Formal', 'Step_Expert', 'Step_FourEyes'],
    },
    { decision: 'review-steps', given: { amount: 1000 }, result: ['Formalprüfung'], matched: ['Step_Formal'] },
  ])('$decision: given $given, then $result', ({ decision: id, given, result, matched }) => {
    // When the decision is evaluated against the variables
    const evaluated = evaluateDecision(decision(id), given);

    // Then the result has Zeebe's shape and names the matched rules
    expect(evaluated).toEqual({ ok: true, result, matchedRules: matched });
  });

  it.each([
    { decision: 'size-class', given: {} },
    { decision: 'document-status', given: { missingDocuments: 0 } },
    { decision: 'points-sum', given: { employees: 1000 } },
    { decision: 'points-min', given: { employees: 1000 } },
    { decision: 'points-max', given: { employees: 1000 } },
    { decision: 'points-count', given: { employees: 1000 } },
  ])('$decision: no matching rule gives null, as in Camunda 8', ({ decision: id, given }) => {
    expect(evaluateDecision(decision(id), given)).toEqual({ ok: true, result: null, matchedRules: [] });
  });

  it.each(['COLLECT', 'RULE ORDER'])(
    '%s: no matching rule gives null, not an empty list, as in Camunda 8',
    async (hitPolicy) => {
      const list = await table(
        input('Input_Amount', 'amount') + output('Output_Note') + rule('Rule_Big', ['&gt; 10'], ['"groß"']),
        hitPolicy,
      );

      expect(evaluateDecision(list, { amount: 1 })).toEqual({ ok: true, result: null, matchedRules: [] });
    },
  );
});

describe('evaluateDecision: hit policy violations', () => {
  it('UNIQUE: more than one matching rule is an error naming the rules', () => {
    // Given a UNIQUE table whose rules overlap at 50
    // When 50 is decided
    const evaluated = evaluateDecision(decision('overlapping-size-class'), { employees: 50 });

    // Then the decision fails and names both rules
    expect(evaluated).toEqual({
      ok: false,
      message:
        'Decision "overlapping-size-class": hit policy UNIQUE allows one matching rule, but 2 matched: ' +
        'Overlapping_Small, Overlapping_Medium',
    });
  });

  it('ANY: matching rules with different outputs are an error naming the rules', () => {
    const evaluated = evaluateDecision(decision('document-status'), { missingDocuments: 6, signed: true });

    expect(evaluated).toEqual({
      ok: false,
      message:
        'Decision "document-status": hit policy ANY requires matching rules to agree, ' +
        'but rules Documents_Missing, Documents_TooMany give different outputs',
    });
  });

  it('COLLECT SUM: an output that is not a number is an error naming the rule', async () => {
    const sum = await table(
      input('Input_Amount', 'amount') + output('Output_Points') + rule('Rule_Text', ['-'], ['"zehn"']),
      'COLLECT" aggregation="SUM',
    );

    expect(evaluateDecision(sum, { amount: 1 })).toEqual({
      ok: false,
      message: 'Decision "test": COLLECT SUM needs numbers, but rule Rule_Text gave "zehn"',
    });
  });
});

describe('evaluateDecision: FEEL', () => {
  it('gives the input value to input entries as ?, and other variables by name', async () => {
    const limit = await table(
      input('Input_Amount', 'amount * 2') +
        output('Output_Result') +
        rule('Rule_UnderLimit', ['? &lt; limit'], ['"unter dem Limit"']) +
        rule('Rule_OverLimit', ['&gt;= limit'], ['"über dem Limit: " + string(amount)']),
    );

    expect(evaluateDecision(limit, { amount: 40, limit: 100 })).toMatchObject({ result: 'unter dem Limit' });
    expect(evaluateDecision(limit, { amount: 60, limit: 100 })).toMatchObject({ result: 'über dem Limit: 60' });
  });

  it('reads nested variables in input expressions', async () => {
    const nested = await table(
      input('Input_Size', 'applicant.company.size') +
        output('Output_Result') +
        rule('Rule_Small', ['"klein"'], ['true']),
    );

    expect(evaluateDecision(nested, { applicant: { company: { size: 'klein' } } })).toMatchObject({ result: true });
    expect(evaluateDecision(nested, { applicant: {} })).toEqual({ ok: true, result: null, matchedRules: [] });
  });

  it.each([
    {
      case: 'a type error in an input expression',
      body:
        input('Input_Label', '"Nr. " + amount', 'Bezeichnung') +
        output('Output_Result', 'result') +
        rule('Rule_1', ['-'], ['1']),
      message:
        'Decision "test": input "Bezeichnung" (Input_Label): FEEL expression ""Nr. " + amount" failed: ' +
        `Can't add '42' to '"Nr. "'`,
    },
    {
      case: 'an unknown function in an input entry',
      body:
        input('Input_Amount', 'amount', 'Betrag') +
        output('Output_Result', 'result') +
        rule('Rule_1', ['lookup(?)'], ['1']),
      message:
        'Decision "test": rule Rule_1, input "Betrag" (Input_Amount): FEEL unary tests "lookup(?)" failed: ' +
        `Variable 'lookup' not found; Cannot invoke 'null'`,
    },
    {
      case: 'a type error in an output entry',
      body:
        input('Input_Amount', 'amount', 'Betrag') +
        output('Output_Result', 'result') +
        rule('Rule_1', ['-'], ['amount + "€"']),
      message:
        'Decision "test": rule Rule_1, output "result" (Output_Result): FEEL expression "amount + "€"" failed: ' +
        `Can't add '"€"' to '42'`,
    },
    {
      case: 'an output that cannot be stored as a variable',
      body:
        input('Input_Amount', 'amount', 'Betrag') +
        output('Output_Result', 'result') +
        rule('Rule_1', ['-'], ['function(x) x']),
      message:
        'Decision "test": rule Rule_1, output "result" (Output_Result): a FEEL function cannot be stored as a variable',
    },
  ])('returns an error naming the decision and cell for $case', async ({ body, message }) => {
    const broken = await table(body);

    expect(evaluateDecision(broken, { amount: 42 })).toEqual({ ok: false, message });
  });

  it('turns FEEL dates and durations into ISO strings, as Zeebe stores them', async () => {
    const dates = await table(
      input('Input_Start', 'date(start)') +
        output('Output_Deadline', 'deadline') +
        output('Output_Period', 'period') +
        rule('Rule_1', ['-'], ['date(start) + duration("P30D")', 'duration("P30D")']),
    );

    expect(evaluateDecision(dates, { start: '2025-01-15' })).toMatchObject({
      result: { deadline: '2025-02-14', period: 'P30D' },
    });
  });

  it('uses the default output entries when no rule matches', async () => {
    const withDefault = await table(
      input('Input_Language', 'language') +
        '<output id="Output_Greeting" name="greeting"><defaultOutputEntry><text>"Guten Tag"</text></defaultOutputEntry></output>' +
        rule('Rule_English', ['"en"'], ['"Hello"']),
    );

    expect(evaluateDecision(withDefault, { language: 'fr' })).toEqual({
      ok: true,
      result: 'Guten Tag',
      matchedRules: [],
    });
    expect(evaluateDecision(withDefault, { language: 'en' })).toMatchObject({ result: 'Hello' });
  });

  it('is deterministic: the same decision and variables give the same result', () => {
    const given = { amount: 200000, firstApplication: true };

    expect(evaluateDecision(decision('risk-level'), given)).toEqual(evaluateDecision(decision('risk-level'), given));
  });
});
