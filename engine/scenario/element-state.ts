/**
 * Element instances of a case, as CPT sees them (active / completed / terminated), derived from Lotse's audit
 * trail and the case's live tokens (pure).
 *
 * The audit trail records every entry of an element (`elementEntered`) and how tasks, gateways and scopes end
 * (`elementCompleted`, `elementTerminated`). Events that a token only passes through (start, end, throw events)
 * have no end of their own in the trail; the live tokens say which visits are still waiting. So: an entered
 * visit that is neither closed by an event nor held by a token has completed.
 */

export type ElementInstanceState = 'active' | 'completed' | 'terminated';

export interface AuditRecord {
  type: string;
  elementId: string | null;
}

export interface ElementInstance {
  elementId: string;
  state: ElementInstanceState;
  /** Position in the trail where the visit ended (or began, while it is active): orders completions. */
  order: number;
}

/**
 * One instance per entry of an element, in trail order. Closing events end the oldest open visit of their
 * element; of the visits left open, the newest ones are the live tokens (a loop's current visit), the older
 * ones completed when their token moved on.
 */
export function elementInstances(
  trail: readonly AuditRecord[],
  activeElementIds: readonly string[],
): ElementInstance[] {
  const open = new Map<string, { order: number }[]>();
  const closed: ElementInstance[] = [];
  trail.forEach((record, order) => {
    if (record.elementId === null) return;
    const visits = open.get(record.elementId) ?? [];
    open.set(record.elementId, visits);
    if (record.type === 'elementEntered') {
      visits.push({ order });
    } else if (record.type === 'elementCompleted' || record.type === 'elementTerminated') {
      if (visits.shift() === undefined) return;
      closed.push({
        elementId: record.elementId,
        state: record.type === 'elementCompleted' ? 'completed' : 'terminated',
        order,
      });
    }
  });

  const tokens = new Map<string, number>();
  for (const elementId of activeElementIds) tokens.set(elementId, (tokens.get(elementId) ?? 0) + 1);

  const instances = [...closed];
  for (const [elementId, visits] of open) {
    const active = Math.min(tokens.get(elementId) ?? 0, visits.length);
    visits.forEach((visit, index) => {
      const state = index >= visits.length - active ? 'active' : 'completed';
      instances.push({ elementId, state, order: visit.order });
    });
  }
  // A token whose entry is not in the trail (yet): still an active instance.
  for (const [elementId, count] of tokens) {
    const visits = open.get(elementId)?.length ?? 0;
    for (let extra = visits; extra < count; extra++) {
      instances.push({ elementId, state: 'active', order: trail.length });
    }
  }
  return instances.sort((a, b) => a.order - b.order);
}

export interface ElementSummary {
  active: number;
  completed: number;
  terminated: number;
}

export function summarize(instances: readonly ElementInstance[], elementId: string): ElementSummary {
  const summary: ElementSummary = { active: 0, completed: 0, terminated: 0 };
  for (const instance of instances) {
    if (instance.elementId === elementId) summary[instance.state] += 1;
  }
  return summary;
}

/** `not activated`, `active`, `completed 2×, active` — for failure messages. */
export function describeSummary(summary: ElementSummary): string {
  const parts = (['active', 'completed', 'terminated'] as const)
    .filter((state) => summary[state] > 0)
    .map((state) => (summary[state] > 1 ? `${state} ${summary[state]}×` : state));
  return parts.length > 0 ? parts.join(', ') : 'not activated';
}
