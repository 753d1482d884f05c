/**
 * Typed reads from bpmn-moddle's element tree. Moddle elements are loosely typed objects; these guards are
 * the edge where the compiler turns them into checked values.
 */
import type { ModdleNode } from 'bpmn-moddle';

export type { ModdleNode };

export function isModdleNode(value: unknown): value is ModdleNode {
  return typeof value === 'object' && value !== null && '$type' in value && typeof value.$type === 'string';
}

export function stringOf(node: ModdleNode, property: string): string | undefined {
  const value = node[property];
  return typeof value === 'string' ? value : undefined;
}

export function booleanOf(node: ModdleNode, property: string): boolean | undefined {
  const value = node[property];
  return typeof value === 'boolean' ? value : undefined;
}

export function childOf(node: ModdleNode, property: string): ModdleNode | undefined {
  const value = node[property];
  return isModdleNode(value) ? value : undefined;
}

export function childrenOf(node: ModdleNode, property: string): ModdleNode[] {
  const value = node[property];
  return Array.isArray(value) ? value.filter(isModdleNode) : [];
}

export function idOf(node: ModdleNode): string | undefined {
  return stringOf(node, 'id');
}

/** The `<bpmn:extensionElements>` children of an element, e.g. `zeebe:TaskDefinition`. */
export function extensionsOf(node: ModdleNode): ModdleNode[] {
  const container = childOf(node, 'extensionElements');
  return container ? childrenOf(container, 'values') : [];
}

export function extensionOf(node: ModdleNode, type: string): ModdleNode | undefined {
  return extensionsOf(node).find((extension) => extension.$type === type);
}

/** `zeebe:AssignmentDefinition` → `zeebe:assignmentDefinition`, the spelling users see in the XML. */
export function xmlNameOf(type: string): string {
  const [prefix, localName] = type.includes(':') ? type.split(':', 2) : ['', type];
  if (localName === undefined || prefix === 'bpmn' || prefix === '') {
    return type;
  }
  return `${prefix}:${localName.charAt(0).toLowerCase()}${localName.slice(1)}`;
}
