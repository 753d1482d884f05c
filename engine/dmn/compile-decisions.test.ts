import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  compileDecisions,
  decisionIssuesToText,
  type DecisionCompileIssue,
  type DecisionCompileResult,
} from './compile-decisions.js';
import type { DecisionModel } from './decision-model.js';

function fixture(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
}

/** A DI-free DMN 1.3 document around the given decisions, as a hand-written file would be. */
function dmn(decisions: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="Definitions_Test" name="Test"
  namespace="http://camunda.org/schema/1.0/dmn">${decisions}</definitions>`;
}

function expectDecisions(result: DecisionCompileResult): DecisionModel[] {
  if (!result.ok) {
    throw new Error(`expected the decisions to compile:\n${decisionIssuesToText(result.errors)}`);
  }
  return result.decisions;
}

function expectErrors(result: DecisionCompileResult): DecisionCompileIssue[] {
  if (result.ok) {
    throw new Error('expected compile errors, got decisions');
  }
  return result.errors;
}

describe('compileDecisions: valid files', () => {
  it('compiles every decision of a file, one per hit policy and aggregation', async () => {
    // Given the hit policy fixture, written like Camunda Modeler writes DMN 1.3 (with DMNDI)
    // When it is compiled
    const decisions = expectDecisions(await compileDecisions(fixture('hit-policies.dmn')));

    // Then every decision comes out, in file order, with its hit policy and aggregation
    expect(decisions.map(({ id, hitPolicy, aggregation }) => ({ id, hitPolicy, aggregation }))).toEqual([
      { id: 'size-class', hitPolicy: 'UNIQUE', aggregation: undefined },
      { id: 'overlapping-size-class', hitPolicy: 'UNIQUE', aggregation: undefined },
      { id: 'contact-channel', hitPolicy: 'FIRST', aggregation: undefined },
      { id: 'document-status', hitPolicy: 'ANY', aggregation: undefined },
      { id: 'risk-level', hitPolicy: 'PRIORITY', aggregation: undefined },
      { id: 'required-documents', hitPolicy: 'COLLECT', aggregation: undefined },
      { id: 'points-sum', hitPolicy: 'COLLECT', aggregation: 'SUM' },
      { id: 'points-min', hitPolicy: 'COLLECT', aggregation: 'MIN' },
      { id: 'points-max', hitPolicy: 'COLLECT', aggregation: 'MAX' },
      { id: 'points-count', hitPolicy: 'COLLECT', aggregation: 'COUNT' },
      { id: 'advice-notes', hitPolicy: 'RULE ORDER', aggregation: undefined },
      { id: 'review-steps', hitPolicy: 'OUTPUT ORDER', aggregation: undefined },
    ]);
  });

  it('turns a decision table into plain JSON: inputs, outputs with priorities, rules', async () => {
    // Given the PRIORITY table of the fixture
    const decisions = expectDecisions(await compileDecisions(fixture('hit-policies.dmn')));

    // When we look at its model
    const riskLevel = decisions.find((decision) => decision.id === 'risk-level');

    // Then it holds every column and cell, and survives a JSON round trip unchanged (database, Temporal input)
    expect(riskLevel).toEqual({
      format: 1,
      id: 'risk-level',
      name: 'Risiko (PRIORITY)',
      hitPolicy: 'PRIORITY',
      inputs: [
        { id: 'Input_Amount_RiskLevel', label: 'Betrag', expression: 'amount', typeRef: 'number' },
        { id: 'Input_First_RiskLevel', label: 'Erstantrag', expression: 'firstApplication', typeRef: 'boolean' },
      ],
      outputs: [
        {
          id: 'Output_Risk_RiskLevel',
          label: 'Risiko',
          name: 'risk',
          typeRef: 'string',
          priority: ['hoch', 'mittel', 'niedrig'],
        },
        { id: 'Output_Reviewer_RiskLevel', label: 'Prüfung durch', name: 'reviewer', typeRef: 'string' },
      ],
      rules: [
        { id: 'Risk_Low', inputEntries: ['-', '-'], outputEntries: ['"niedrig"', '"Sachbearbeitung"'] },
        { id: 'Risk_New', inputEntries: ['-', 'true'], outputEntries: ['"mittel"', '"Teamleitung"'] },
        { id: 'Risk_Amount', inputEntries: ['> 100000', '-'], outputEntries: ['"hoch"', '"Abteilungsleitung"'] },
      ],
    });
    expect(JSON.parse(JSON.stringify(decisions))).toEqual(decisions);
  });

  it('keeps rule annotations, empty cells and default outputs', async () => {
    // Given a table with an annotation, an empty input cell, an empty output cell and a default output
    const xml = dmn(`
      <decision id="greeting">
        <decisionTable id="Table_Greeting">
          <input id="Input_Language"><inputExpression><text>language</text></inputExpression></input>
          <output id="Output_Text" name="text"><defaultOutputEntry><text>"Hallo"</text></defaultOutputEntry></output>
          <output id="Output_Note" name="note" />
          <rule id="Rule_English">
            <description>Englisch für internationale Anfragen</description>
            <inputEntry><text>"en"</text></inputEntry>
            <outputEntry><text>"Hello"</text></outputEntry>
            <outputEntry><text></text></outputEntry>
          </rule>
          <rule id="Rule_Any">
            <inputEntry><text></text></inputEntry>
            <outputEntry><text>"Guten Tag"</text></outputEntry>
            <outputEntry><text>"formell"</text></outputEntry>
          </rule>
        </decisionTable>
      </decision>`);

    // When it is compiled
    const [greeting] = expectDecisions(await compileDecisions(xml));

    // Then the model keeps them; the missing hit policy is DMN's default UNIQUE
    expect(greeting).toMatchObject({
      hitPolicy: 'UNIQUE',
      outputs: [
        { id: 'Output_Text', name: 'text', defaultExpression: '"Hallo"' },
        { id: 'Output_Note', name: 'note' },
      ],
      rules: [
        {
          id: 'Rule_English',
          description: 'Englisch für internationale Anfragen',
          inputEntries: ['"en"'],
          outputEntries: ['"Hello"', ''],
        },
        { id: 'Rule_Any', inputEntries: [''], outputEntries: ['"Guten Tag"', '"formell"'] },
      ],
    });
  });

  it('accepts input data and knowledge sources, which only document the diagram', async () => {
    const xml = dmn(`
      <decision id="size-class">
        <informationRequirement id="Requirement_Employees"><requiredInput href="#InputData_Employees" /></informationRequirement>
        <authorityRequirement id="Authority_Guideline"><requiredAuthority href="#Source_Guideline" /></authorityRequirement>
        <decisionTable id="Table_SizeClass">
          <input id="Input_Employees"><inputExpression><text>employees</text></inputExpression></input>
          <output id="Output_Size" name="size" />
          <rule id="Rule_Micro"><inputEntry><text>&lt; 10</text></inputEntry><outputEntry><text>"kleinst"</text></outputEntry></rule>
        </decisionTable>
      </decision>
      <inputData id="InputData_Employees" name="Beschäftigte" />
      <knowledgeSource id="Source_Guideline" name="KMU-Definition der EU" />`);

    expect(expectDecisions(await compileDecisions(xml)).map((decision) => decision.id)).toEqual(['size-class']);
  });

  it('compiles the funding eligibility fixture', async () => {
    const [decision] = expectDecisions(await compileDecisions(fixture('funding-eligibility.dmn')));

    expect(decision).toMatchObject({ id: 'funding-eligibility', hitPolicy: 'COLLECT' });
    expect(decision?.inputs.map((input) => input.expression)).toEqual([
      'companySize',
      'sector',
      'projectType',
      'investmentVolume',
    ]);
    expect(decision?.outputs.map((output) => output.name)).toEqual(['programmeId', 'programmeName', 'fundingRateHint']);
  });
});

describe('compileDecisions: one fixture per rule', () => {
  const rules: { rule: string; errors: DecisionCompileIssue[] }[] = [
    {
      rule: 'feel-syntax-input-entry',
      errors: [
        {
          decisionId: 'fixture',
          elementId: 'Rule_1',
          message: 'input entry "Betrag": FEEL unary tests "[1.." are invalid: the tests end too early',
        },
      ],
    },
    {
      rule: 'feel-syntax-output-entry',
      errors: [
        {
          decisionId: 'fixture',
          elementId: 'Rule_1',
          message: 'output entry "Ergebnis": FEEL expression ""Nr. " +" is invalid: the expression ends too early',
        },
      ],
    },
    {
      rule: 'feel-syntax-input-expression',
      errors: [
        {
          decisionId: 'fixture',
          elementId: 'Input_Amount',
          message:
            'input "Betrag": input expression: FEEL expression "amount >" is invalid: the expression ends too early',
        },
      ],
    },
    {
      rule: 'clock-input-entry',
      errors: [
        {
          decisionId: 'fixture',
          elementId: 'Rule_1',
          message:
            'input entry "Betrag": FEEL unary tests "< today()" are invalid: ' +
            'today() reads the clock and is not allowed (cases must replay deterministically)',
        },
      ],
    },
    {
      rule: 'expression-language',
      errors: [
        {
          decisionId: 'fixture',
          elementId: 'InputExpression_Amount',
          message: 'expression language "juel" is not supported; Camunda 8 and Lotse evaluate FEEL only',
        },
      ],
    },
    {
      rule: 'required-decision',
      errors: [
        {
          decisionId: 'fixture',
          elementId: 'InformationRequirement_SizeClass',
          message:
            'required decisions (dmn:InformationRequirement → #size-class) are not supported yet; ' +
            'evaluate the required decision in its own business rule task and pass its result in as a variable',
        },
      ],
    },
    {
      rule: 'literal-expression',
      errors: [
        {
          decisionId: 'fixture',
          elementId: 'LiteralExpression_Rate',
          message: 'literal expression decisions are not supported yet; use a decision table (dmn:LiteralExpression)',
        },
      ],
    },
    {
      rule: 'business-knowledge-model',
      errors: [
        {
          elementId: 'BKM_Rate',
          message:
            'business knowledge models are not supported; put the logic into a decision table (dmn:BusinessKnowledgeModel)',
        },
      ],
    },
    {
      rule: 'unknown-hit-policy',
      errors: [
        {
          decisionId: 'fixture',
          elementId: 'DecisionTable_fixture',
          message:
            'hit policy "RANDOM" is unknown; use one of UNIQUE, FIRST, PRIORITY, ANY, COLLECT, RULE ORDER, OUTPUT ORDER',
        },
      ],
    },
    {
      rule: 'aggregation-without-collect',
      errors: [
        {
          decisionId: 'fixture',
          elementId: 'DecisionTable_fixture',
          message: 'aggregation COUNT only works with hit policy COLLECT, not RULE ORDER',
        },
      ],
    },
    {
      rule: 'aggregation-with-several-outputs',
      errors: [
        {
          decisionId: 'fixture',
          elementId: 'DecisionTable_fixture',
          message: 'aggregation SUM needs exactly one output column, but the table has 2',
        },
      ],
    },
    {
      rule: 'priority-without-output-values',
      errors: [
        {
          decisionId: 'fixture',
          elementId: 'DecisionTable_fixture',
          message:
            'hit policy PRIORITY ranks rules by the output values of their outputs, but no output column lists ' +
            'output values; add them (e.g. "hoch","mittel","niedrig", highest priority first)',
        },
      ],
    },
    {
      rule: 'missing-output-name',
      errors: [
        {
          decisionId: 'fixture',
          elementId: 'Output_Reason',
          message: 'output "Begründung" has no output name; a table with several outputs returns them by name',
        },
      ],
    },
    {
      rule: 'entry-count',
      errors: [
        {
          decisionId: 'fixture',
          elementId: 'Rule_1',
          message: 'the rule has 0 input entries, but the table has 1 input',
        },
      ],
    },
    {
      rule: 'unknown-element',
      errors: [
        {
          message:
            'the DMN file cannot be read: unparsable content <ruleGroup> detected line: 18 column: 6 ' +
            'nested error: unknown type <dmn:RuleGroup>',
        },
      ],
    },
    {
      rule: 'older-dmn-version',
      errors: [
        {
          message:
            'the file uses an older DMN version; Lotse reads DMN 1.3 (open and save it in Camunda Modeler to migrate it)',
        },
      ],
    },
  ];

  it.each(rules)('rejects fixtures/$rule-invalid.dmn', async ({ rule, errors }) => {
    // Given a DMN file that breaks exactly one rule
    const xml = fixture(`${rule}-invalid.dmn`);

    // When it is compiled
    const result = await compileDecisions(xml);

    // Then the errors name the decision and the offending element, and nothing else
    expect(expectErrors(result)).toEqual(errors);
  });

  it('has a test for every invalid fixture', () => {
    const fixtures = readdirSync(new URL('./fixtures/', import.meta.url)).filter((file) =>
      file.endsWith('-invalid.dmn'),
    );

    expect(fixtures.sort()).toEqual(rules.map(({ rule }) => `${rule}-invalid.dmn`).sort());
  });
});

describe('compileDecisions: other problems', () => {
  it.each([
    { case: 'text that is not XML', xml: 'not xml', message: 'the DMN file cannot be read:' },
    { case: 'a file without decisions', xml: dmn(''), message: 'the file contains no decision' },
  ])('reports $case', async ({ xml, message }) => {
    const [error] = expectErrors(await compileDecisions(xml));

    expect(error?.message).toContain(message);
  });

  it('reports every problem of a file at once', async () => {
    // Given two decisions, each with a broken cell
    const table = (id: string, outputEntry: string) => `
      <decision id="${id}">
        <decisionTable id="Table_${id}">
          <input id="Input_${id}"><inputExpression><text>amount</text></inputExpression></input>
          <output id="Output_${id}" name="result" />
          <rule id="Rule_${id}"><inputEntry><text>-</text></inputEntry><outputEntry><text>${outputEntry}</text></outputEntry></rule>
        </decisionTable>
      </decision>`;
    const xml = dmn(table('first', 'amount *') + table('second', 'lookup('));

    // When it is compiled
    const errors = expectErrors(await compileDecisions(xml));

    // Then both are reported, each with its decision and rule
    expect(errors.map(({ decisionId, elementId }) => ({ decisionId, elementId }))).toEqual([
      { decisionId: 'first', elementId: 'Rule_first' },
      { decisionId: 'second', elementId: 'Rule_second' },
    ]);
  });

  it('rejects output values that cannot rank a PRIORITY table', async () => {
    const xml = dmn(`
      <decision id="risk">
        <decisionTable id="Table_Risk" hitPolicy="PRIORITY">
          <input id="Input_Amount"><inputExpression><text>amount</text></inputExpression></input>
          <output id="Output_Risk" name="risk"><outputValues><text>&lt; 10</text></outputValues></output>
        </decisionTable>
      </decision>`);

    expect(expectErrors(await compileDecisions(xml))).toEqual([
      {
        decisionId: 'risk',
        elementId: 'Output_Risk',
        message:
          'output "risk": output values must be a list of literals in decreasing priority, like "hoch","mittel","niedrig"; found < 10',
      },
      {
        decisionId: 'risk',
        elementId: 'Table_Risk',
        message:
          'hit policy PRIORITY ranks rules by the output values of their outputs, but no output column lists ' +
          'output values; add them (e.g. "hoch","mittel","niedrig", highest priority first)',
      },
    ]);
  });
});

describe('decisionIssuesToText', () => {
  it('writes one line per issue, with decision and element where known', () => {
    const text = decisionIssuesToText([
      { decisionId: 'risk', elementId: 'Rule_1', message: 'something about a rule' },
      { decisionId: 'risk', elementId: 'risk', message: 'something about the decision' },
      { elementId: 'BKM_Rate', message: 'something outside a decision' },
      { message: 'the DMN file cannot be read: closing tag mismatch' },
    ]);

    expect(text).toBe(
      [
        'risk / Rule_1: something about a rule',
        'risk: something about the decision',
        'BKM_Rate: something outside a decision',
        'the DMN file cannot be read: closing tag mismatch',
      ].join('\n'),
    );
  });
});
