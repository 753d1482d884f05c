/**
 * Micro-benchmarks of the pure cores: compiling a 200-element model, one interpreter step on a case
 * with 50 active tokens, rendering and validating a 100-field form. Measured in this process with
 * `performance.now()`; each figure is the median (and p95) of many repetitions after a warm-up.
 */
import { performance } from 'node:perf_hooks';
import { compileProcess } from '../engine/model/compile.js';
import { initialState, step } from '../engine/interpreter/interpret.js';
import type { CaseState } from '../engine/interpreter/types.js';
import type { ProcessModel } from '../engine/model/process-model.js';
import { createFormRenderer } from '../forms/render.js';
import { parseForm } from '../forms/schema.js';
import { validateSubmission } from '../forms/validate.js';

export interface MicroResult {
  name: string;
  repetitions: number;
  medianMs: number;
  p95Ms: number;
}

function measure(name: string, repetitions: number, run: () => unknown): MicroResult {
  for (let warmup = 0; warmup < Math.min(20, repetitions); warmup++) run();
  const times: number[] = [];
  for (let index = 0; index < repetitions; index++) {
    const started = performance.now();
    run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const at = (share: number) => times[Math.min(times.length - 1, Math.floor(share * times.length))] ?? 0;
  return { name, repetitions, medianMs: at(0.5), p95Ms: at(0.95) };
}

async function measureAsync(name: string, repetitions: number, run: () => Promise<unknown>): Promise<MicroResult> {
  for (let warmup = 0; warmup < 5; warmup++) await run();
  const times: number[] = [];
  for (let index = 0; index < repetitions; index++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const at = (share: number) => times[Math.min(times.length - 1, Math.floor(share * times.length))] ?? 0;
  return { name, repetitions, medianMs: at(0.5), p95Ms: at(0.95) };
}

const HEAD = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="Bench" targetNamespace="http://bpmn.io/schema/bpmn">
<bpmn:process id="bench" isExecutable="true">`;

/** A chain of user task → service task → exclusive gateway groups: `elements` flow nodes in all. */
function chainModel(elements: number): string {
  const nodes: string[] = ['<bpmn:startEvent id="Start" />'];
  const flows: string[] = [];
  let previous = 'Start';
  let count = 1;
  let index = 0;
  const link = (target: string, condition?: string) => {
    flows.push(
      condition
        ? `<bpmn:sequenceFlow id="F${flows.length}" sourceRef="${previous}" targetRef="${target}"><bpmn:conditionExpression>${condition}</bpmn:conditionExpression></bpmn:sequenceFlow>`
        : `<bpmn:sequenceFlow id="F${flows.length}" sourceRef="${previous}" targetRef="${target}" />`,
    );
  };
  while (count < elements - 1) {
    const user = `User${index}`;
    nodes.push(
      `<bpmn:userTask id="${user}" name="Prüfen ${index}"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="wirtschaftsfoerderung" /></bpmn:extensionElements></bpmn:userTask>`,
    );
    link(user);
    previous = user;
    const job = `Job${index}`;
    nodes.push(
      `<bpmn:serviceTask id="${job}"><bpmn:extensionElements><zeebe:taskDefinition type="email" /></bpmn:extensionElements></bpmn:serviceTask>`,
    );
    link(job);
    previous = job;
    const gateway = `Gateway${index}`;
    nodes.push(`<bpmn:exclusiveGateway id="${gateway}" default="F${flows.length + 1}" />`);
    link(gateway);
    previous = gateway;
    count += 3;
    index++;
  }
  nodes.push('<bpmn:endEvent id="End" />');
  link('End');
  return `${HEAD}${nodes.join('')}${flows.join('')}</bpmn:process></bpmn:definitions>`;
}

/** Start → parallel fork into `width` user tasks → parallel join → end. */
function wideModel(width: number): string {
  const nodes = [
    '<bpmn:startEvent id="Start" />',
    '<bpmn:parallelGateway id="Fork" />',
    '<bpmn:parallelGateway id="Join" />',
    '<bpmn:endEvent id="End" />',
  ];
  const flows = [
    '<bpmn:sequenceFlow id="FStart" sourceRef="Start" targetRef="Fork" />',
    '<bpmn:sequenceFlow id="FEnd" sourceRef="Join" targetRef="End" />',
  ];
  for (let index = 0; index < width; index++) {
    nodes.push(
      `<bpmn:userTask id="Task${index}"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="g" /></bpmn:extensionElements></bpmn:userTask>`,
    );
    flows.push(`<bpmn:sequenceFlow id="FOut${index}" sourceRef="Fork" targetRef="Task${index}" />`);
    flows.push(`<bpmn:sequenceFlow id="FIn${index}" sourceRef="Task${index}" targetRef="Join" />`);
  }
  return `${HEAD}${nodes.join('')}${flows.join('')}</bpmn:process></bpmn:definitions>`;
}

function hundredFieldForm() {
  return parseForm({
    id: 'bench-100',
    type: 'default',
    schemaVersion: 16,
    components: Array.from({ length: 100 }, (_, index) =>
      index % 4 === 3
        ? {
            id: `Field_${index}`,
            type: 'select',
            key: `field${index}`,
            label: `Auswahl ${index}`,
            values: [
              { label: 'A', value: 'a' },
              { label: 'B', value: 'b' },
            ],
            validate: { required: true },
          }
        : {
            id: `Field_${index}`,
            type: 'textfield',
            key: `field${index}`,
            label: `Feld ${index}`,
            validate: { required: index % 2 === 0, minLength: 2, maxLength: 200 },
          },
    ),
  }).form;
}

async function compiled(xml: string): Promise<ProcessModel> {
  const result = await compileProcess(xml);
  if (!result.ok) throw new Error(`bench model does not compile: ${JSON.stringify(result.errors.slice(0, 3))}`);
  return result.model;
}

export async function runEngineMicro(): Promise<MicroResult[]> {
  const results: MicroResult[] = [];
  const chain = chainModel(200);
  const chainCompiled = await compiled(chain);
  const elementCount = Object.keys(chainCompiled.elements).length;
  results.push(await measureAsync(`compile a ${elementCount}-element model`, 50, () => compileProcess(chain)));

  const wide = await compiled(wideModel(50));
  const at = '2026-11-26T10:00:00.000Z';
  const started = step(wide, initialState(), { type: 'start', at, actor: 'bench', variables: { subject: 'x' } }).state;
  const openTokens = (state: CaseState) => state.tokens.filter((token) => token.role === undefined && token.assignment);
  const firstTask = openTokens(started)[0];
  if (!firstTask || openTokens(started).length !== 50) throw new Error('expected 50 active tokens');
  results.push(
    measure(`interpreter step: complete 1 of ${openTokens(started).length} active tasks`, 2000, () =>
      step(wide, started, { type: 'completeTask', at, actor: 'bench', tokenId: firstTask.id, variables: { ok: true } }),
    ),
  );

  const form = hundredFieldForm();
  const renderer = createFormRenderer();
  const input = Object.fromEntries(
    Array.from({ length: 100 }, (_, index) => [`field${index}`, index % 4 === 3 ? 'a' : `Wert ${index}`]),
  );
  results.push(measure('validate a 100-field submission', 2000, () => validateSubmission(form, input)));
  const { values, errors } = validateSubmission(form, { ...input, field0: '' });
  results.push(
    measure('render a 100-field form (with one error)', 1000, () =>
      renderer.renderFields(form, { values, errors, locale: 'de' }),
    ),
  );
  return results;
}

export function microTable(results: MicroResult[]): string {
  const rows = results.map(
    (r) => `| ${r.name} | ${r.repetitions} | ${r.medianMs.toFixed(3)} | ${r.p95Ms.toFixed(3)} |`,
  );
  return ['| what | repetitions | median ms | p95 ms |', '| --- | ---: | ---: | ---: |', ...rows].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(microTable(await runEngineMicro()));
}
