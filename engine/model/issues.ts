/** Compile issues: every problem names the element (id and BPMN type), so a designer can fix the diagram. */
import { idOf, type ModdleNode } from './moddle-reader.js';

export interface CompileIssue {
  elementId?: string;
  /** BPMN type as written in the XML, e.g. `bpmn:ParallelGateway`. */
  elementType?: string;
  message: string;
}

/** Collects issues while the compiler walks the tree; compiling never stops at the first problem. */
export class IssueLog {
  readonly errors: CompileIssue[] = [];
  readonly warnings: CompileIssue[] = [];

  error(node: ModdleNode | undefined, message: string): void {
    this.errors.push(issueAt(node, message));
  }

  warn(node: ModdleNode | undefined, message: string): void {
    this.warnings.push(issueAt(node, message));
  }
}

function issueAt(node: ModdleNode | undefined, message: string): CompileIssue {
  const elementId = node ? idOf(node) : undefined;
  return {
    ...(elementId !== undefined && { elementId }),
    ...(node !== undefined && { elementType: node.$type }),
    message,
  };
}

/** Moddle's messages span lines (`…\n\tline: 0\n\tcolumn: 6`); issues are one line each. */
export function oneLine(message: string): string {
  return message
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join(', ');
}
