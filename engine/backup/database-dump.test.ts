import { describe, expect, it } from 'vitest';
import { orderByDependencies } from './database-dump.js';

describe('restore order of tables', () => {
  it('puts every referenced table before the tables referencing it', () => {
    // Invariant: a restore with foreign keys checked never inserts a row before the row it references.
    const edges = [
      ['tasks', 'cases'],
      ['cases', 'companies'],
      ['cases', 'service_versions'],
      ['service_versions', 'services'],
      ['documents', 'cases'],
      ['documents', 'drafts'],
      ['drafts', 'companies'],
      ['tasks', 'not_dumped'],
    ] as const;
    const order = orderByDependencies(
      ['tasks', 'documents', 'drafts', 'cases', 'services', 'service_versions', 'companies'],
      edges,
    );
    for (const [child, parent] of edges) {
      if (order.includes(parent)) expect(order.indexOf(parent)).toBeLessThan(order.indexOf(child));
    }
    expect([...order].sort()).toEqual([
      'cases',
      'companies',
      'documents',
      'drafts',
      'service_versions',
      'services',
      'tasks',
    ]);
  });

  it('refuses a cycle, naming the tables', () => {
    expect(() =>
      orderByDependencies(
        ['a', 'b', 'c'],
        [
          ['a', 'b'],
          ['b', 'a'],
        ],
      ),
    ).toThrow('cycle between a, b');
  });
});
