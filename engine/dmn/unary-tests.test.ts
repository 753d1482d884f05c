import { describe, expect, it } from 'vitest';
import { FeelError } from '../feel/feel.js';
import { checkUnaryTests, testUnaryTests } from './unary-tests.js';

describe('testUnaryTests', () => {
  it.each([
    { form: 'comparison', tests: '< 10', value: 9, matches: true },
    { form: 'comparison', tests: '< 10', value: 10, matches: false },
    { form: 'comparison', tests: '>= 250', value: 250, matches: true },
    { form: 'equality with a number', tests: '0', value: 0, matches: true },
    { form: 'closed range', tests: '[1..5]', value: 5, matches: true },
    { form: 'closed range', tests: '[1..5]', value: 6, matches: false },
    { form: 'half-open range', tests: '[10..50)', value: 50, matches: false },
    { form: 'half-open range', tests: '(1..5]', value: 1, matches: false },
    { form: 'string', tests: '"investition"', value: 'investition', matches: true },
    { form: 'string', tests: '"investition"', value: 'Investition', matches: false },
    { form: 'list of strings', tests: '"kleinst","klein"', value: 'klein', matches: true },
    { form: 'list of strings', tests: '"kleinst","klein"', value: 'mittel', matches: false },
    { form: 'list of comparisons', tests: '< 5, > 10', value: 11, matches: true },
    { form: 'not(...)', tests: 'not("handel","landwirtschaft")', value: 'it', matches: true },
    { form: 'not(...)', tests: 'not("handel","landwirtschaft")', value: 'handel', matches: false },
    { form: 'boolean', tests: 'true', value: true, matches: true },
    { form: 'boolean', tests: 'false', value: true, matches: false },
    { form: 'any (-)', tests: '-', value: 'whatever', matches: true },
    { form: 'any (empty cell)', tests: '', value: null, matches: true },
    { form: 'expression with ?', tests: '? > 3 and ? < 6', value: 4, matches: true },
    { form: 'function with ?', tests: 'starts with(?, "DE")', value: 'DE123', matches: true },
    { form: 'other variable', tests: '<= limit', value: 80, matches: true },
    { form: 'null test', tests: 'null', value: null, matches: true },
  ])('$form: "$tests" against $value → $matches', ({ tests, value, matches }) => {
    expect(testUnaryTests(tests, value, { limit: 100 })).toBe(matches);
  });

  it('does not match a missing input value, as in Camunda 8', () => {
    // Given an input the applicant never answered
    // When rules compare it
    // Then they do not match, and nothing throws
    expect(testUnaryTests('< 10', null, {})).toBe(false);
    expect(testUnaryTests('"klein"', undefined, {})).toBe(false);
    expect(testUnaryTests('<= limit', 5, {})).toBe(false);
  });

  it('throws a FeelError naming the tests when they fail', () => {
    const test = () => testUnaryTests('lookup(?)', 1, {});

    expect(test).toThrow(FeelError);
    expect(test).toThrow(`FEEL unary tests "lookup(?)" failed: Variable 'lookup' not found; Cannot invoke 'null'`);
  });
});

describe('checkUnaryTests', () => {
  it.each(['< 10', '[1..5]', '"a","b"', 'not("a")', '-', '', 'true', '? > limit'])('accepts "%s"', (tests) => {
    expect(() => checkUnaryTests(tests)).not.toThrow();
  });

  it.each([
    { tests: '[1..', message: 'FEEL unary tests "[1.." are invalid: the tests end too early' },
    { tests: '< ', message: 'FEEL unary tests "< " are invalid: the tests end too early' },
    { tests: '> 3 )', message: 'FEEL unary tests "> 3 )" are invalid: unexpected ")" at position 5' },
    {
      tests: '< today()',
      message:
        'FEEL unary tests "< today()" are invalid: today() reads the clock and is not allowed (cases must replay deterministically)',
    },
  ])('rejects "$tests"', ({ tests, message }) => {
    expect(() => checkUnaryTests(tests)).toThrow(message);
  });
});
