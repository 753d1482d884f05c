/**
 * The compiled decision: plain JSON, produced by `compileDecisions` from DMN 1.3, stored with a service version
 * and handed to workflows as input. One type, one validator (the compiler); the evaluator trusts it.
 */

export const DECISION_MODEL_FORMAT = 1;

export const HIT_POLICIES = ['UNIQUE', 'FIRST', 'PRIORITY', 'ANY', 'COLLECT', 'RULE ORDER', 'OUTPUT ORDER'] as const;
export type HitPolicy = (typeof HIT_POLICIES)[number];

/** Only COLLECT aggregates, and only tables with one output. */
export const AGGREGATIONS = ['SUM', 'MIN', 'MAX', 'COUNT'] as const;
export type Aggregation = (typeof AGGREGATIONS)[number];

/** A literal from an output's value list; PRIORITY and OUTPUT ORDER rank outputs by their position there. */
export type OutputValue = string | number | boolean;

export interface DecisionInput {
  id?: string;
  label?: string;
  /** FEEL expression, evaluated once against the context; rules test its value as `?`. */
  expression: string;
  typeRef?: string;
}

export interface DecisionOutput {
  id?: string;
  label?: string;
  /** Key in the result context; required once a table has more than one output. */
  name?: string;
  typeRef?: string;
  /** Output values in decreasing priority; only kept for PRIORITY and OUTPUT ORDER tables. */
  priority?: OutputValue[];
  /** FEEL expression used when no rule matches (`defaultOutputEntry`). */
  defaultExpression?: string;
}

export interface DecisionRule {
  id: string;
  /** The rule's annotation column in Camunda Modeler. */
  description?: string;
  /** One FEEL unary-tests string per input; `''` and `'-'` match anything. */
  inputEntries: string[];
  /** One FEEL expression per output; `''` yields null. */
  outputEntries: string[];
}

export interface DecisionModel {
  format: typeof DECISION_MODEL_FORMAT;
  id: string;
  name?: string;
  hitPolicy: HitPolicy;
  aggregation?: Aggregation;
  inputs: DecisionInput[];
  outputs: DecisionOutput[];
  rules: DecisionRule[];
}
