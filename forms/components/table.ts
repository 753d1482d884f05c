/** `table`: a read-only table of `dataSource` (a FEEL expression or variable name yielding a list of objects). */
import { stripExpression } from '../../engine/feel/feel.js';
import { elementId, nonEmpty, ownLabel, type ComponentDefinition } from '../component.js';
import { displayText, tryEvaluate, type Variables } from '../expressions.js';
import { isRecord } from '../paths.js';
import type { TableColumn, TableComponent } from '../model.js';

const MAX_TABLE_ROWS = 1000;

function evaluatedColumns(expression: string | undefined, scope: Variables): TableColumn[] {
  const result = expression === undefined ? undefined : tryEvaluate(expression, scope);
  if (!Array.isArray(result)) return [];
  return result.flatMap((column) =>
    isRecord(column) && typeof column['key'] === 'string' && typeof column['label'] === 'string'
      ? [{ key: column['key'], label: column['label'] }]
      : [],
  );
}

export const table: ComponentDefinition<TableComponent> = {
  type: 'table',
  kind: 'static',
  schema: (kit) => {
    const { z } = kit;
    /** `=expr` or a bare expression such as a variable name: form-js adds the `=` itself. */
    const dataSource = z
      .string({ error: (issue) => (issue.input === undefined ? 'tables need a dataSource' : undefined) })
      .superRefine((source, context) => {
        const problem = kit.feelProblem(stripExpression(source));
        if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
      });
    return z
      .strictObject({
        ...kit.componentBase,
        type: z.literal('table'),
        label: kit.shownText().optional(),
        columns: z
          .array(
            z.strictObject({
              label: kit.visibleText('columns need a label'),
              key: z.string().min(1, 'must not be empty'),
            }),
          )
          .optional(),
        columnsExpression: kit.feel().optional(),
        dataSource,
        rowCount: z.int().positive().optional(),
      })
      .superRefine((table, context) => {
        if ((table.columns === undefined) === (table.columnsExpression === undefined)) {
          context.addIssue({ code: 'custom', message: 'needs exactly one of columns and columnsExpression' });
        }
      });
  },
  label: ownLabel,
  translatable: (component) => (component.columns ? ['label', 'columns'] : ['label']),
  translate: (component, entry) => ({
    ...component,
    label: entry.label ?? component.label,
    columns: component.columns?.map((column) => ({ ...column, label: entry.columns?.[column.key] ?? column.label })),
  }),
  view: (component, { place, run, hidden, hideIf }) => {
    const columns = component.columns ?? evaluatedColumns(component.columnsExpression, place.scope);
    const data = tryEvaluate(component.dataSource, place.scope);
    const rows = (Array.isArray(data) ? data.slice(0, MAX_TABLE_ROWS) : []).map((row) =>
      columns.map((column) =>
        displayText(isRecord(row) && Object.hasOwn(row, column.key) ? row[column.key] : undefined),
      ),
    );
    return {
      hideIf,
      hidden,
      id: elementId('table', component, place.indexes),
      caption: nonEmpty(component.label),
      columns: columns.map((column) => column.label),
      rows,
      columnCount: Math.max(1, columns.length),
      emptyText: run.text.noRows,
    };
  },
};
