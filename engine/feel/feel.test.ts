import { describe, expect, it } from 'vitest';
import {
  checkExpression,
  evaluateExpression,
  evaluateReportingMissing,
  evaluateToJson,
  FeelError,
  isExpression,
  stripExpression,
} from './feel.js';

describe('isExpression / stripExpression', () => {
  it.each([
    { value: '=followUpCall = true', expression: true, stripped: 'followUpCall = true' },
    { value: '= amount > 1000 ', expression: true, stripped: 'amount > 1000' },
    { value: 'wirtschaftsfoerderung', expression: false, stripped: 'wirtschaftsfoerderung' },
    { value: '', expression: false, stripped: '' },
  ])('"$value" is an expression: $expression', ({ value, expression, stripped }) => {
    expect(isExpression(value)).toBe(expression);
    expect(stripExpression(value)).toBe(stripped);
  });
});

describe('evaluateExpression', () => {
  it.each([
    { expression: 'followUpCall = true', context: { followUpCall: true }, value: true },
    { expression: 'followUpCall = true', context: { followUpCall: false }, value: false },
    {
      expression: 'amount > 1000 and applicant.size = "klein"',
      context: { amount: 5000, applicant: { size: 'klein' } },
      value: true,
    },
    { expression: 'string length(name) > 3', context: { name: 'Muster GmbH' }, value: true },
    { expression: 'first name = "Ada"', context: { 'first name': 'Ada' }, value: true },
  ])('evaluates $expression', ({ expression, context, value }) => {
    expect(evaluateExpression(expression, context)).toBe(value);
  });

  it('treats missing data as null, as Camunda does', () => {
    // Given no variable `followUpCall`
    // When a condition reads it
    // Then it does not match, and nothing throws
    expect(evaluateExpression('followUpCall = true', {})).toBe(false);
    expect(evaluateExpression('applicant.phone', { applicant: {} })).toBeNull();
  });

  it.each([
    {
      case: 'a syntax error',
      expression: 'amount >',
      message: 'FEEL expression "amount >" is invalid: the expression ends too early',
    },
    {
      case: 'a stray token',
      expression: 'a = 1 )',
      message: 'FEEL expression "a = 1 )" is invalid: unexpected ")" at position 7',
    },
    {
      case: 'an empty expression',
      expression: ' ',
      message: 'FEEL expression " " is invalid: the expression is empty',
    },
    {
      case: 'a type error',
      expression: '"Nr. " + number',
      message: `FEEL expression ""Nr. " + number" failed: Can't add '42' to '"Nr. "'`,
    },
    {
      case: 'an unknown function',
      expression: 'lookup(1)',
      message: `FEEL expression "lookup(1)" failed: Variable 'lookup' not found; Cannot invoke 'null'`,
    },
    {
      case: 'the clock',
      expression: 'now() > deadline',
      message:
        'FEEL expression "now() > deadline" is invalid: now() reads the clock and is not allowed (cases must replay deterministically)',
    },
  ])('throws a FeelError naming the expression for $case', ({ expression, message }) => {
    const evaluate = () => evaluateExpression(expression, { number: 42 });

    expect(evaluate).toThrow(FeelError);
    expect(evaluate).toThrow(message);
  });
});

describe('evaluateReportingMissing', () => {
  it('names the variables it took as null, not bound ones nor properties', () => {
    const result = evaluateReportingMissing(
      'channel = "phone" and company.size > 10 and (for s in sites return s)[1] = 1',
      {
        channel: 'email',
        sites: [1],
      },
    );

    expect(result).toEqual({ value: false, missing: ['company'] });
  });

  it('fails like evaluateExpression on anything but missing data', () => {
    expect(() => evaluateReportingMissing('"a" + 1', {})).toThrow(FeelError);
  });
});

describe('checkExpression', () => {
  it('accepts a valid expression without evaluating it', () => {
    expect(() => checkExpression('unknownVariable.deep.path = true')).not.toThrow();
  });

  it('rejects a syntax error', () => {
    expect(() => checkExpression('if approved then')).toThrow(FeelError);
  });
});

describe('evaluateToJson', () => {
  it.each([
    { expression: 'duration("P5D")', value: 'P5D' },
    { expression: 'date and time("2025-03-01T10:00:00+01:00") + duration("P1D")', value: '2025-03-02T10:00:00+01:00' },
    { expression: 'date("2025-03-01")', value: '2025-03-01' },
    { expression: '{total: sum([1, 2]), due: @"PT5M"}', value: { total: 3, due: 'PT5M' } },
    { expression: 'missing', value: null },
  ])('turns $expression into the JSON a variable holds', ({ expression, value }) => {
    expect(evaluateToJson(expression, {})).toEqual(value);
  });

  it('refuses values without a JSON form', () => {
    expect(() => evaluateToJson('function(x) x + 1', {})).toThrow(FeelError);
    expect(() => evaluateToJson('[1..5]', {})).toThrow('gives a function or a range, not a value');
  });
});
