/**
 * DMN decision tables for Lotse: compile DMN 1.3 into plain-JSON decision models, evaluate them as Camunda 8 does.
 * Workflow code may import evaluate-decision.js alone; it does not pull in the XML parser.
 */
export type {
  DecisionModel,
  DecisionInput,
  DecisionOutput,
  DecisionRule,
  HitPolicy,
  Aggregation,
} from './decision-model.js';
export { DECISION_MODEL_FORMAT } from './decision-model.js';
export {
  compileDecisions,
  decisionIssuesToText,
  formatDecisionIssue,
  type DecisionCompileIssue,
  type DecisionCompileResult,
} from './compile-decisions.js';
export { evaluateDecision, type DecisionResult } from './evaluate-decision.js';
