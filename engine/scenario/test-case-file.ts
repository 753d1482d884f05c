/**
 * Camunda Process Test (CPT) JSON test cases, as published at
 * https://camunda.com/json-schema/cpt-test-cases/8.9/schema.json — the subset `lotse test` runs (pure).
 *
 * Every instruction is checked before a test case starts: a test case with an unknown, unsupported or malformed
 * instruction fails without starting a case, and its message names the instruction. Selectors and instructions
 * are strict (the schema says `additionalProperties: false`), so a misspelt field is an error, not a no-op.
 */
import { z } from 'zod';

const variables = z.record(z.string(), z.unknown());

const processDefinitionSelector = z.strictObject({ processDefinitionId: z.string().min(1) });
const processInstanceSelector = z.strictObject({ processDefinitionId: z.string().min(1) });

const elementSelector = z
  .strictObject({ elementId: z.string().min(1).optional(), elementName: z.string().min(1).optional() })
  .refine((selector) => selector.elementId !== undefined || selector.elementName !== undefined, {
    message: 'an element selector needs elementId or elementName',
  });

const jobSelector = z
  .strictObject({
    jobType: z.string().min(1).optional(),
    elementId: z.string().min(1).optional(),
    processDefinitionId: z.string().min(1).optional(),
  })
  .refine((selector) => Object.values(selector).some((value) => value !== undefined), {
    message: 'a job selector needs jobType, elementId or processDefinitionId',
  });

const userTaskSelector = z
  .strictObject({
    elementId: z.string().min(1).optional(),
    taskName: z.string().min(1).optional(),
    processDefinitionId: z.string().min(1).optional(),
  })
  .refine((selector) => Object.values(selector).some((value) => value !== undefined), {
    message: 'a user task selector needs elementId, taskName or processDefinitionId',
  });

const incidentSelector = z
  .strictObject({ elementId: z.string().min(1).optional(), processDefinitionId: z.string().min(1).optional() })
  .refine((selector) => selector.elementId !== undefined || selector.processDefinitionId !== undefined, {
    message: 'an incident selector needs elementId or processDefinitionId',
  });

const messageSelector = z.strictObject({ messageName: z.string().min(1), correlationKey: z.string().optional() });

/** CPT's `useExampleData` reads example data Lotse models do not carry; only `false` is accepted. */
const noExampleData = z
  .literal(false, { error: 'useExampleData is not supported: Lotse models carry no example data' })
  .optional();

export const ELEMENT_INSTANCES_STATES = [
  'IS_ACTIVE',
  'IS_COMPLETED',
  'IS_TERMINATED',
  'IS_NOT_ACTIVE',
  'IS_NOT_ACTIVATED',
  'IS_ACTIVE_EXACTLY',
  'IS_COMPLETED_IN_ORDER',
] as const;

const instructionSchemas = {
  CREATE_PROCESS_INSTANCE: z.strictObject({
    type: z.literal('CREATE_PROCESS_INSTANCE'),
    processDefinitionSelector,
    variables: variables.optional(),
    startInstructions: z
      .array(z.unknown())
      .max(0, { error: 'startInstructions are not supported: a case always begins at its start event' })
      .optional(),
    runtimeInstructions: z.array(z.unknown()).max(0, { error: 'runtimeInstructions are not supported' }).optional(),
  }),
  COMPLETE_USER_TASK: z.strictObject({
    type: z.literal('COMPLETE_USER_TASK'),
    userTaskSelector,
    variables: variables.optional(),
    useExampleData: noExampleData,
  }),
  COMPLETE_JOB: z.strictObject({
    type: z.literal('COMPLETE_JOB'),
    jobSelector,
    variables: variables.optional(),
    useExampleData: noExampleData,
  }),
  THROW_BPMN_ERROR_FROM_JOB: z.strictObject({
    type: z.literal('THROW_BPMN_ERROR_FROM_JOB'),
    jobSelector,
    errorCode: z.string().min(1),
    errorMessage: z.string().optional(),
    variables: variables.optional(),
  }),
  /** Lotse extension (not in the CPT schema): the job fails for good, as after its last retry → incident. */
  FAIL_JOB: z.strictObject({
    type: z.literal('FAIL_JOB'),
    jobSelector,
    errorMessage: z.string().optional(),
  }),
  MOCK_JOB_WORKER_COMPLETE_JOB: z.strictObject({
    type: z.literal('MOCK_JOB_WORKER_COMPLETE_JOB'),
    jobType: z.string().min(1),
    variables: variables.optional(),
    useExampleData: noExampleData,
  }),
  MOCK_JOB_WORKER_THROW_BPMN_ERROR: z.strictObject({
    type: z.literal('MOCK_JOB_WORKER_THROW_BPMN_ERROR'),
    jobType: z.string().min(1),
    errorCode: z.string().min(1),
    errorMessage: z.string().optional(),
    variables: variables.optional(),
  }),
  PUBLISH_MESSAGE: z.strictObject({
    type: z.literal('PUBLISH_MESSAGE'),
    name: z.string().min(1),
    correlationKey: z.string().optional(),
    variables: variables.optional(),
    timeToLive: z.number().int().min(0).optional(),
    messageId: z.string().optional(),
  }),
  CORRELATE_MESSAGE: z.strictObject({
    type: z.literal('CORRELATE_MESSAGE'),
    name: z.string().min(1),
    correlationKey: z.string().optional(),
    variables: variables.optional(),
  }),
  /** CPT's signal broadcast: reaches every case of the test case that waits for the signal now (ADR 0031). */
  BROADCAST_SIGNAL: z.strictObject({
    type: z.literal('BROADCAST_SIGNAL'),
    signalName: z.string().min(1),
    variables: variables.optional(),
  }),
  INCREASE_TIME: z.strictObject({ type: z.literal('INCREASE_TIME'), duration: z.string().min(1) }),
  SET_TIME: z.strictObject({ type: z.literal('SET_TIME'), time: z.iso.datetime({ offset: true }) }),
  RESOLVE_INCIDENT: z.strictObject({ type: z.literal('RESOLVE_INCIDENT'), incidentSelector }),
  ASSERT_PROCESS_INSTANCE: z.strictObject({
    type: z.literal('ASSERT_PROCESS_INSTANCE'),
    processInstanceSelector,
    state: z.enum(['IS_ACTIVE', 'IS_COMPLETED', 'IS_CREATED', 'IS_TERMINATED']).optional(),
    hasActiveIncidents: z.boolean().optional(),
  }),
  ASSERT_ELEMENT_INSTANCE: z.strictObject({
    type: z.literal('ASSERT_ELEMENT_INSTANCE'),
    processInstanceSelector,
    elementSelector,
    state: z.enum(['IS_ACTIVE', 'IS_COMPLETED', 'IS_TERMINATED']),
    amount: z.number().int().min(1).default(1),
  }),
  ASSERT_ELEMENT_INSTANCES: z.strictObject({
    type: z.literal('ASSERT_ELEMENT_INSTANCES'),
    processInstanceSelector,
    elementSelectors: z.array(elementSelector).min(1),
    state: z.enum(ELEMENT_INSTANCES_STATES),
  }),
  ASSERT_VARIABLES: z.strictObject({
    type: z.literal('ASSERT_VARIABLES'),
    processInstanceSelector,
    elementSelector: z
      .undefined({ error: 'elementSelector (local variables) is not supported: Lotse asserts case variables' })
      .optional(),
    variableNames: z.array(z.string()).optional(),
    variables: variables.optional(),
  }),
  ASSERT_USER_TASK: z.strictObject({
    type: z.literal('ASSERT_USER_TASK'),
    userTaskSelector,
    state: z.enum(['IS_CREATED', 'IS_COMPLETED', 'IS_CANCELED', 'IS_FAILED']).optional(),
    assignee: z.string().optional(),
    candidateGroups: z.array(z.string()).optional(),
    priority: z.number().int().optional(),
    elementId: z.string().optional(),
    name: z.string().optional(),
    dueDate: z.string().optional(),
    followUpDate: z.string().optional(),
  }),
  ASSERT_PROCESS_INSTANCE_MESSAGE_SUBSCRIPTION: z.strictObject({
    type: z.literal('ASSERT_PROCESS_INSTANCE_MESSAGE_SUBSCRIPTION'),
    processInstanceSelector,
    messageSelector,
    state: z.enum(['IS_WAITING', 'IS_NOT_WAITING', 'IS_CORRELATED']),
  }),
} as const;

export type InstructionType = keyof typeof instructionSchemas;
export type Instruction = { [T in InstructionType]: z.infer<(typeof instructionSchemas)[T]> }[InstructionType];
export type InstructionOf<T extends InstructionType> = Extract<Instruction, { type: T }>;
export type ElementSelector = z.infer<typeof elementSelector>;
export type JobSelector = z.infer<typeof jobSelector>;
export type UserTaskSelector = z.infer<typeof userTaskSelector>;
export type IncidentSelector = z.infer<typeof incidentSelector>;

/** CPT instructions that have no counterpart in Lotse, with the reason shown to the user. */
const UNSUPPORTED: Record<string, string> = {
  ASSERT_DECISION: 'decision evaluations are not recorded by Lotse',
  ASSERT_VARIABLE: 'judge-based (LLM) variable assertions are not supported',
  COMPLETE_JOB_AD_HOC_SUB_PROCESS: 'ad-hoc sub-processes are not in the BPMN subset Lotse runs',
  COMPLETE_JOB_USER_TASK_LISTENER: 'user task listeners are not in the BPMN subset Lotse runs',
  EVALUATE_CONDITIONAL_START_EVENT: 'conditional start events are not in the BPMN subset Lotse runs',
  EVALUATE_DECISION: 'decisions are evaluated inside a case only, by a business rule task',
  MOCK_CHILD_PROCESS: 'called processes run inside the case and cannot be replaced',
  MOCK_DMN_DECISION: 'decisions run inside the case and cannot be replaced',
  UPDATE_VARIABLES: 'a case has no way to set variables from outside',
};

export interface TestCase {
  name: string;
  description?: string;
  /** 1-based position in the file, for messages. */
  index: number;
  instructions: Instruction[];
  /** Set when an instruction cannot run: the test case fails with it before starting anything. */
  invalid?: InvalidInstruction;
}

export interface InvalidInstruction {
  /** 1-based. */
  position: number;
  type: string;
  message: string;
}

export type TestCaseFile = { ok: true; testCases: TestCase[] } | { ok: false; message: string };

/** A JSON document is a CPT test case file when its top level has a `testCases` array. */
export function isTestCaseDocument(document: unknown): boolean {
  return isRecord(document) && Array.isArray(document['testCases']);
}

export function parseTestCaseFile(document: unknown): TestCaseFile {
  if (!isRecord(document) || !Array.isArray(document['testCases'])) {
    return { ok: false, message: 'not a CPT test case file: the top level has no "testCases" array' };
  }
  return { ok: true, testCases: document['testCases'].map((raw, index) => parseTestCase(raw, index + 1)) };
}

function parseTestCase(raw: unknown, index: number): TestCase {
  const fallbackName = `test case ${index}`;
  if (!isRecord(raw)) {
    return invalidCase(fallbackName, index, { position: 0, type: '-', message: 'a test case must be an object' });
  }
  const name = typeof raw['name'] === 'string' && raw['name'].trim() !== '' ? raw['name'] : fallbackName;
  const description = typeof raw['description'] === 'string' ? raw['description'] : undefined;
  if (name === fallbackName) {
    return invalidCase(name, index, { position: 0, type: '-', message: 'the test case has no "name"' }, description);
  }
  if (!Array.isArray(raw['instructions'])) {
    return invalidCase(
      name,
      index,
      { position: 0, type: '-', message: 'the test case has no "instructions" array' },
      description,
    );
  }
  const instructions: Instruction[] = [];
  for (const [offset, rawInstruction] of raw['instructions'].entries()) {
    const parsed = parseInstruction(rawInstruction, offset + 1);
    if (!parsed.ok) return invalidCase(name, index, parsed.invalid, description, instructions);
    instructions.push(parsed.instruction);
  }
  return { name, index, instructions, ...(description !== undefined && { description }) };
}

export function parseInstruction(
  raw: unknown,
  position: number,
): { ok: true; instruction: Instruction } | { ok: false; invalid: InvalidInstruction } {
  const type = isRecord(raw) && typeof raw['type'] === 'string' ? raw['type'] : undefined;
  if (type === undefined) {
    return { ok: false, invalid: { position, type: '-', message: 'the instruction has no "type"' } };
  }
  const unsupported = UNSUPPORTED[type];
  if (unsupported !== undefined) {
    return { ok: false, invalid: { position, type, message: `not supported by lotse test: ${unsupported}` } };
  }
  if (!isInstructionType(type)) {
    return { ok: false, invalid: { position, type, message: `unknown instruction type "${type}"` } };
  }
  const result = instructionSchemas[type].safeParse(raw);
  if (!result.success) {
    const message = result.error.issues
      .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
      .join('; ');
    return { ok: false, invalid: { position, type, message } };
  }
  return { ok: true, instruction: result.data };
}

function isInstructionType(type: string): type is InstructionType {
  return Object.hasOwn(instructionSchemas, type);
}

function invalidCase(
  name: string,
  index: number,
  invalid: InvalidInstruction,
  description?: string,
  instructions: Instruction[] = [],
): TestCase {
  return { name, index, instructions, invalid, ...(description !== undefined && { description }) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
