/**
 * DMN 1.3 → DecisionModel[]. The compiler is the decision model's only validator: it accepts the slice the
 * evaluator can run (decision tables with FEEL) and names the decision and element of everything else, so a
 * designer can fix the file in Camunda Modeler. Every FEEL cell is syntax-checked here, not at run time.
 */
import { DmnModdle } from 'dmn-moddle';
import { checkExpression, evaluateExpression, FeelError } from '../feel/feel.js';
import {
  AGGREGATIONS,
  DECISION_MODEL_FORMAT,
  HIT_POLICIES,
  type Aggregation,
  type DecisionInput,
  type DecisionModel,
  type DecisionOutput,
  type DecisionRule,
  type HitPolicy,
  type OutputValue,
} from './decision-model.js';
import { childOf, childrenOf, idOf, isDmnNode, stringOf, xmlNameOf, type DmnNode } from './dmn-reader.js';
import { checkUnaryTests } from './unary-tests.js';

export type DecisionCompileIssue = { decisionId?: string; elementId?: string; message: string };

export type DecisionCompileResult =
  { ok: true; decisions: DecisionModel[] } | { ok: false; errors: DecisionCompileIssue[] };

// Camunda Modeler migrates these to DMN 1.3 when it opens them; dmn-moddle only reads 1.3.
const OLDER_DMN_NAMESPACES = [
  'http://www.omg.org/spec/DMN/20151101/dmn.xsd',
  'http://www.omg.org/spec/DMN/20180521/MODEL/',
];

// Diagram-only elements: they document where data comes from and who decides, but change no result.
const DOCUMENTATION_ELEMENTS = new Set(['dmn:InputData', 'dmn:KnowledgeSource']);

const UNSUPPORTED_DRG_ELEMENTS: Record<string, string> = {
  'dmn:BusinessKnowledgeModel': 'business knowledge models are not supported; put the logic into a decision table',
  'dmn:DecisionService': 'decision services are not supported; call each decision from its own business rule task',
};

const UNSUPPORTED_DECISION_LOGIC: Record<string, string> = {
  'dmn:LiteralExpression': 'literal expression decisions are not supported yet; use a decision table',
  'dmn:Context': 'boxed context decisions are not supported; use a decision table',
  'dmn:Invocation': 'invocation decisions are not supported; use a decision table',
  'dmn:Relation': 'relation decisions are not supported; use a decision table',
  'dmn:List': 'list decisions are not supported; use a decision table',
  'dmn:FunctionDefinition': 'function definition decisions are not supported; use a decision table',
};

const PRIORITY_POLICIES: ReadonlySet<HitPolicy> = new Set(['PRIORITY', 'OUTPUT ORDER']);

interface Scope {
  decisionId?: string;
  elementId?: string;
}

/** Collects issues while the compiler walks the tree; compiling never stops at the first problem. */
class IssueLog {
  readonly errors: DecisionCompileIssue[] = [];

  error(scope: Scope, message: string): void {
    this.errors.push({
      ...(scope.decisionId !== undefined && { decisionId: scope.decisionId }),
      ...(scope.elementId !== undefined && { elementId: scope.elementId }),
      message,
    });
  }
}

/** Parses and validates a DMN 1.3 file; never throws for bad input, every problem becomes an issue. */
export async function compileDecisions(dmnXml: string): Promise<DecisionCompileResult> {
  const log = new IssueLog();
  let definitions: DmnNode;
  try {
    const parsed = await new DmnModdle().fromXML(dmnXml);
    definitions = parsed.rootElement;
    for (const warning of parsed.warnings) {
      // Moddle drops what it cannot read (unknown elements, misplaced children) and only warns; evaluating a
      // table with silently missing rules would be worse than refusing it.
      const element = isDmnNode(warning['element']) ? warning['element'] : undefined;
      log.error(scopeOf(element), `the DMN file cannot be read: ${oneLine(warning.message)}`);
    }
  } catch (error) {
    return { ok: false, errors: [{ message: unreadableFileMessage(dmnXml, error) }] };
  }
  const decisions = compileDefinitions(definitions, log);
  if (log.errors.length > 0) {
    return { ok: false, errors: log.errors };
  }
  return { ok: true, decisions };
}

/** `Decision_1 / Rule_2: message` per line, for the CLI and the designer UI. */
export function decisionIssuesToText(issues: DecisionCompileIssue[]): string {
  return issues.map(formatDecisionIssue).join('\n');
}

export function formatDecisionIssue(issue: DecisionCompileIssue): string {
  const where = [issue.decisionId, issue.elementId === issue.decisionId ? undefined : issue.elementId]
    .filter((part) => part !== undefined)
    .join(' / ');
  return where === '' ? issue.message : `${where}: ${issue.message}`;
}

// Text annotations, associations and DMNDI only draw the diagram; they are not read at all.
function compileDefinitions(definitions: DmnNode, log: IssueLog): DecisionModel[] {
  checkExpressionLanguage(definitions, {}, log);
  for (const node of childrenOf(definitions, 'import')) {
    const namespace = stringOf(node, 'namespace') ?? '?';
    log.error(scopeOf(node), `imports (dmn:Import of ${namespace}) are not supported; keep all decisions in one file`);
  }
  for (const node of childrenOf(definitions, 'itemDefinition')) {
    const name = stringOf(node, 'name') ?? idOf(node) ?? '?';
    log.error(
      scopeOf(node),
      `item definitions (dmn:ItemDefinition "${name}") are not supported; use the built-in types (string, number, boolean, date)`,
    );
  }

  const decisions: DecisionModel[] = [];
  for (const node of childrenOf(definitions, 'drgElement')) {
    if (node.$type === 'dmn:Decision') {
      const decision = compileDecision(node, log);
      if (decision !== undefined) {
        decisions.push(decision);
      }
    } else if (!DOCUMENTATION_ELEMENTS.has(node.$type)) {
      const reason = UNSUPPORTED_DRG_ELEMENTS[node.$type] ?? `${xmlNameOf(node)} elements are not supported`;
      log.error(scopeOf(node), `${reason} (${node.$type})`);
    }
  }
  if (decisions.length === 0 && log.errors.length === 0) {
    log.error({}, 'the file contains no decision');
  }
  return decisions;
}

function compileDecision(node: DmnNode, log: IssueLog): DecisionModel | undefined {
  const id = idOf(node);
  if (id === undefined) {
    log.error({}, `a decision${describeName(node)} has no id; every decision needs one to be called`);
    return undefined;
  }
  const scope: Scope = { decisionId: id, elementId: id };
  for (const requirement of childrenOf(node, 'informationRequirement')) {
    const required = childOf(requirement, 'requiredDecision');
    if (required !== undefined) {
      const href = stringOf(required, 'href') ?? '?';
      log.error(
        { decisionId: id, elementId: idOf(requirement) ?? id },
        `required decisions (dmn:InformationRequirement → ${href}) are not supported yet; ` +
          'evaluate the required decision in its own business rule task and pass its result in as a variable',
      );
    }
  }
  for (const requirement of childrenOf(node, 'knowledgeRequirement')) {
    log.error(
      { decisionId: id, elementId: idOf(requirement) ?? id },
      'business knowledge models (dmn:KnowledgeRequirement) are not supported; put the logic into the decision table',
    );
  }

  const logic = childOf(node, 'decisionLogic');
  if (logic === undefined) {
    log.error(scope, 'the decision has no decision logic; add a decision table');
    return undefined;
  }
  if (logic.$type !== 'dmn:DecisionTable') {
    const reason =
      UNSUPPORTED_DECISION_LOGIC[logic.$type] ?? 'this decision logic is not supported; use a decision table';
    log.error({ decisionId: id, elementId: idOf(logic) ?? id }, `${reason} (${logic.$type})`);
    return undefined;
  }
  const table = compileTable(id, logic, log);
  if (table === undefined) {
    return undefined;
  }
  const name = stringOf(node, 'name');
  return { format: DECISION_MODEL_FORMAT, id, ...(name !== undefined && { name }), ...table };
}

type CompiledTable = Pick<DecisionModel, 'hitPolicy' | 'aggregation' | 'inputs' | 'outputs' | 'rules'>;

function compileTable(decisionId: string, table: DmnNode, log: IssueLog): CompiledTable | undefined {
  const tableScope: Scope = { decisionId, elementId: idOf(table) ?? decisionId };
  const errorsBefore = log.errors.length;

  const hitPolicy = readHitPolicy(table, tableScope, log);
  const inputNodes = childrenOf(table, 'input');
  const outputNodes = childrenOf(table, 'output');
  const columns = {
    inputs: inputNodes.map((node, index) => columnName(node, index)),
    outputs: outputNodes.map((node, index) => columnName(node, index)),
  };
  const inputs = inputNodes.map((node, index) => compileInput(decisionId, node, index, log));
  if (outputNodes.length === 0) {
    log.error(tableScope, 'the decision table has no output column');
  }
  const outputs = outputNodes.map((node, index) =>
    compileOutput(decisionId, node, index, hitPolicy !== undefined && PRIORITY_POLICIES.has(hitPolicy), log),
  );
  checkOutputNames(decisionId, outputs, columns.outputs, log);
  const aggregation = readAggregation(table, hitPolicy, outputs.length, tableScope, log);
  if (
    hitPolicy !== undefined &&
    PRIORITY_POLICIES.has(hitPolicy) &&
    outputs.every((output) => output.priority === undefined)
  ) {
    log.error(
      tableScope,
      `hit policy ${hitPolicy} ranks rules by the output values of their outputs, but no output column lists ` +
        'output values; add them (e.g. "hoch","mittel","niedrig", highest priority first)',
    );
  }
  const rules = childrenOf(table, 'rule').map((node, index) => compileRule(decisionId, node, index, columns, log));

  if (log.errors.length > errorsBefore || hitPolicy === undefined) {
    return undefined;
  }
  return {
    hitPolicy,
    ...(aggregation !== undefined && { aggregation }),
    inputs: inputs.filter((input) => input !== undefined),
    outputs,
    rules: rules.filter((rule) => rule !== undefined),
  };
}

function readHitPolicy(table: DmnNode, scope: Scope, log: IssueLog): HitPolicy | undefined {
  // Moddle returns the DMN default UNIQUE when the attribute is missing.
  const value = stringOf(table, 'hitPolicy') ?? 'UNIQUE';
  const hitPolicy = HIT_POLICIES.find((policy) => policy === value);
  if (hitPolicy === undefined) {
    log.error(scope, `hit policy "${value}" is unknown; use one of ${HIT_POLICIES.join(', ')}`);
  }
  return hitPolicy;
}

function readAggregation(
  table: DmnNode,
  hitPolicy: HitPolicy | undefined,
  outputCount: number,
  scope: Scope,
  log: IssueLog,
): Aggregation | undefined {
  const value = stringOf(table, 'aggregation');
  if (value === undefined) {
    return undefined;
  }
  const aggregation = AGGREGATIONS.find((candidate) => candidate === value);
  if (aggregation === undefined) {
    log.error(scope, `aggregation "${value}" is unknown; use one of ${AGGREGATIONS.join(', ')}`);
  } else if (hitPolicy !== undefined && hitPolicy !== 'COLLECT') {
    log.error(scope, `aggregation ${aggregation} only works with hit policy COLLECT, not ${hitPolicy}`);
  } else if (outputCount > 1) {
    log.error(scope, `aggregation ${aggregation} needs exactly one output column, but the table has ${outputCount}`);
  }
  return aggregation;
}

function compileInput(decisionId: string, node: DmnNode, index: number, log: IssueLog): DecisionInput | undefined {
  const id = idOf(node);
  const label = stringOf(node, 'label');
  const scope: Scope = { decisionId, elementId: id ?? decisionId };
  const column = describeColumn('input', node, index);
  const expressionNode = childOf(node, 'inputExpression');
  const expression = expressionNode === undefined ? undefined : stringOf(expressionNode, 'text')?.trim();
  if (expressionNode === undefined || expression === undefined || expression === '') {
    log.error(scope, `${column} has no input expression; enter the variable or FEEL expression to test`);
    return undefined;
  }
  if (checkExpressionLanguage(expressionNode, scope, log)) {
    checkFeel(() => checkExpression(expression), `${column}: input expression`, scope, log);
  }
  // Camunda Modeler stores "predefined values" here. Camunda 8 does not enforce them, and neither do we.
  const inputValues = childOf(node, 'inputValues');
  if (inputValues !== undefined && checkExpressionLanguage(inputValues, scope, log)) {
    checkFeel(() => checkUnaryTests(stringOf(inputValues, 'text') ?? ''), `${column}: input values`, scope, log);
  }
  const typeRef = stringOf(expressionNode, 'typeRef');
  return {
    ...(id !== undefined && { id }),
    ...(label !== undefined && { label }),
    expression,
    ...(typeRef !== undefined && { typeRef }),
  };
}

function compileOutput(
  decisionId: string,
  node: DmnNode,
  index: number,
  ranksByOutputValues: boolean,
  log: IssueLog,
): DecisionOutput {
  const id = idOf(node);
  const label = stringOf(node, 'label');
  const name = stringOf(node, 'name')?.trim() || undefined;
  const typeRef = stringOf(node, 'typeRef');
  const scope: Scope = { decisionId, elementId: id ?? decisionId };
  const column = describeColumn('output', node, index);

  let priority: OutputValue[] | undefined;
  const outputValues = childOf(node, 'outputValues');
  const outputValuesText = outputValues === undefined ? '' : (stringOf(outputValues, 'text') ?? '').trim();
  if (outputValues !== undefined && outputValuesText !== '' && checkExpressionLanguage(outputValues, scope, log)) {
    if (ranksByOutputValues) {
      priority = readOutputValueList(outputValuesText, `${column}: output values`, scope, log);
    } else {
      // Informational outside PRIORITY / OUTPUT ORDER: Camunda 8 does not enforce them either.
      checkFeel(() => checkUnaryTests(outputValuesText), `${column}: output values`, scope, log);
    }
  }

  let defaultExpression: string | undefined;
  const defaultEntry = childOf(node, 'defaultOutputEntry');
  if (defaultEntry !== undefined && checkExpressionLanguage(defaultEntry, scope, log)) {
    const text = (stringOf(defaultEntry, 'text') ?? '').trim();
    if (text !== '') {
      checkFeel(() => checkExpression(text), `${column}: default output`, scope, log);
      defaultExpression = text;
    }
  }
  return {
    ...(id !== undefined && { id }),
    ...(label !== undefined && { label }),
    ...(name !== undefined && { name }),
    ...(typeRef !== undefined && { typeRef }),
    ...(priority !== undefined && { priority }),
    ...(defaultExpression !== undefined && { defaultExpression }),
  };
}

/** `"hoch","mittel","niedrig"` → ['hoch', 'mittel', 'niedrig']; priority only makes sense for literals. */
function readOutputValueList(text: string, what: string, scope: Scope, log: IssueLog): OutputValue[] | undefined {
  let list: unknown;
  try {
    list = evaluateExpression(`[${text}]`, {});
  } catch {
    list = undefined;
  }
  if (!isOutputValueList(list)) {
    log.error(
      scope,
      `${what} must be a list of literals in decreasing priority, like "hoch","mittel","niedrig"; found ${text}`,
    );
    return undefined;
  }
  return list;
}

function isOutputValueList(value: unknown): value is OutputValue[] {
  return (
    Array.isArray(value) &&
    value.every((item) => typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean')
  );
}

function checkOutputNames(decisionId: string, outputs: DecisionOutput[], columnNames: string[], log: IssueLog): void {
  if (outputs.length < 2) {
    return;
  }
  const seen = new Set<string>();
  outputs.forEach((output, index) => {
    const scope: Scope = { decisionId, elementId: output.id ?? decisionId };
    const column = `output ${columnNames[index] ?? index + 1}`;
    if (output.name === undefined) {
      log.error(scope, `${column} has no output name; a table with several outputs returns them by name`);
    } else if (seen.has(output.name)) {
      log.error(scope, `${column}: output name "${output.name}" is used twice`);
    } else {
      seen.add(output.name);
    }
  });
}

function compileRule(
  decisionId: string,
  node: DmnNode,
  index: number,
  columns: { inputs: string[]; outputs: string[] },
  log: IssueLog,
): DecisionRule | undefined {
  const id = idOf(node);
  if (id === undefined) {
    log.error({ decisionId }, `rule ${index + 1} has no id; matched rules are reported by id`);
    return undefined;
  }
  const scope: Scope = { decisionId, elementId: id };
  const inputEntryNodes = childrenOf(node, 'inputEntry');
  const outputEntryNodes = childrenOf(node, 'outputEntry');
  if (inputEntryNodes.length !== columns.inputs.length) {
    const entries = plural(inputEntryNodes.length, 'input entry', 'input entries');
    log.error(scope, `the rule has ${entries}, but the table has ${plural(columns.inputs.length, 'input', 'inputs')}`);
  }
  if (outputEntryNodes.length !== columns.outputs.length) {
    const entries = plural(outputEntryNodes.length, 'output entry', 'output entries');
    log.error(
      scope,
      `the rule has ${entries}, but the table has ${plural(columns.outputs.length, 'output', 'outputs')}`,
    );
  }

  const inputEntries = inputEntryNodes.map((entry, column) => {
    const text = stringOf(entry, 'text') ?? '';
    if (checkExpressionLanguage(entry, scope, log)) {
      checkFeel(() => checkUnaryTests(text), `input entry ${columns.inputs[column] ?? column + 1}`, scope, log);
    }
    return text.trim();
  });
  const outputEntries = outputEntryNodes.map((entry, column) => {
    const text = (stringOf(entry, 'text') ?? '').trim();
    // An empty output cell yields null (Camunda Modeler writes `<text></text>` for it).
    if (checkExpressionLanguage(entry, scope, log) && text !== '') {
      checkFeel(() => checkExpression(text), `output entry ${columns.outputs[column] ?? column + 1}`, scope, log);
    }
    return text;
  });
  const description = stringOf(node, 'description')?.trim() || undefined;
  return { id, ...(description !== undefined && { description }), inputEntries, outputEntries };
}

function checkFeel(check: () => void, what: string, scope: Scope, log: IssueLog): void {
  try {
    check();
  } catch (error) {
    if (!(error instanceof FeelError)) {
      throw error;
    }
    log.error(scope, `${what}: ${error.message}`);
  }
}

/** False (and an issue) when the element is written in another language than FEEL; skip its FEEL checks then. */
function checkExpressionLanguage(node: DmnNode, scope: Scope, log: IssueLog): boolean {
  const language = stringOf(node, 'expressionLanguage');
  if (language !== undefined && !isFeel(language)) {
    log.error(
      { ...scope, elementId: idOf(node) ?? scope.elementId },
      `expression language "${language}" is not supported; Camunda 8 and Lotse evaluate FEEL only`,
    );
    return false;
  }
  return true;
}

function plural(count: number, singular: string, pluralForm: string): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/** `feel` or one of the OMG FEEL namespace URIs (DMN 1.1 to 1.5). */
function isFeel(language: string): boolean {
  return language.toLowerCase() === 'feel' || /^https?:\/\/www\.omg\.org\/spec\/.*feel/i.test(language);
}

function describeColumn(kind: 'input' | 'output', node: DmnNode, index: number): string {
  return `${kind} ${columnName(node, index)}`;
}

/** What Camunda Modeler shows in the column header: the label, else the output name, else the position. */
function columnName(node: DmnNode, index: number): string {
  const label = stringOf(node, 'label') ?? stringOf(node, 'name');
  return label === undefined ? `${index + 1}` : `"${label}"`;
}

function describeName(node: DmnNode): string {
  const name = stringOf(node, 'name');
  return name === undefined ? '' : ` ("${name}")`;
}

/** The issue scope of an arbitrary element: its id, and the id of the decision it sits in when moddle knows it. */
function scopeOf(node: DmnNode | undefined): Scope {
  if (node === undefined) {
    return {};
  }
  let decisionId: string | undefined;
  for (let current: unknown = node; isDmnNode(current); current = current['$parent']) {
    if (current.$type === 'dmn:Decision') {
      decisionId = idOf(current);
      break;
    }
  }
  const elementId = idOf(node);
  return {
    ...(decisionId !== undefined && { decisionId }),
    ...(elementId !== undefined && { elementId }),
  };
}

function unreadableFileMessage(dmnXml: string, error: unknown): string {
  if (OLDER_DMN_NAMESPACES.some((namespace) => dmnXml.includes(namespace))) {
    return 'the file uses an older DMN version; Lotse reads DMN 1.3 (open and save it in Camunda Modeler to migrate it)';
  }
  const message = error instanceof Error ? error.message : String(error);
  return `the DMN file cannot be read: ${oneLine(message)}`;
}

function oneLine(message: string): string {
  return message.replace(/\s+/g, ' ').trim();
}
