/**
 * Typed reads from dmn-moddle's element tree. Moddle elements are loosely typed objects; these guards are
 * the edge where the compiler turns them into checked values.
 */
import type { DmnNode } from 'dmn-moddle';

export type { DmnNode };

export function isDmnNode(value: unknown): value is DmnNode {
  return typeof value === 'object' && value !== null && '$type' in value && typeof value.$type === 'string';
}

export function stringOf(node: DmnNode, property: string): string | undefined {
  const value = node[property];
  return typeof value === 'string' ? value : undefined;
}

export function childOf(node: DmnNode, property: string): DmnNode | undefined {
  const value = node[property];
  return isDmnNode(value) ? value : undefined;
}

export function childrenOf(node: DmnNode, property: string): DmnNode[] {
  const value = node[property];
  return Array.isArray(value) ? value.filter(isDmnNode) : [];
}

export function idOf(node: DmnNode): string | undefined {
  return stringOf(node, 'id');
}

/** `dmn:LiteralExpression` → `literalExpression`, the element name users see in the XML. */
export function xmlNameOf(node: DmnNode): string {
  const localName = node.$type.includes(':') ? node.$type.slice(node.$type.indexOf(':') + 1) : node.$type;
  return `${localName.charAt(0).toLowerCase()}${localName.slice(1)}`;
}
