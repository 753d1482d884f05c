import { describe, expect, it } from 'vitest';
import { scriptSafeJson } from './process-diagram.js';

describe('scriptSafeJson', () => {
  it('cannot end its <script> block or open a comment there, and parses back to the same value', () => {
    // Given BPMN whose documentation a designer wrote with markup in it
    const value = { bpmnXml: '<documentation>Ende: </script><!-- & </SCRIPT > \u2028</documentation>' };

    // When
    const json = scriptSafeJson(value);

    // Then
    expect(json).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(json)).toEqual(value);
  });
});
