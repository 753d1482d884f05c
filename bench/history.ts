import type { WorkflowHandle } from '@temporalio/client';
import { mean, percentile } from './stats.js';

type History = Awaited<ReturnType<WorkflowHandle['fetchHistory']>>;
type HistoryEvent = NonNullable<History['events']>[number];

/** One workflow's history, reduced to what the report needs. Offsets are ms after the iteration began. */
export interface HistoryDigest {
  events: number;
  /** Size of the stored history as the server reports it: what every persistence write carries. */
  bytes: number;
  workflowTasks: number;
  activities: Record<string, number>;
  /** Per activity: queued = scheduled → started, ran = started → completed. */
  activityTimes: { type: string; queued: number; ran: number }[];
  /** Per workflow task: queued = scheduled → started, ran = started → completed (the worker's turn). */
  workflowTaskTimes: { queued: number; ran: number }[];
  /** Event label (`ActivityTaskStarted projectCase #2`) → offset from the iteration start. */
  timeline: Map<string, number>;
}

export async function digestHistory(handle: WorkflowHandle, iterationStart: number): Promise<HistoryDigest> {
  const events = (await handle.fetchHistory()).events ?? [];
  const description = await handle.describe();
  const activityTypeBySchedule = new Map<number, string>();
  const scheduledAt = new Map<number, number>();
  const startedAt = new Map<number, number>();
  const occurrences = new Map<string, number>();
  const digest: HistoryDigest = {
    events: events.length,
    bytes: description.historySize ?? Number.NaN,
    workflowTasks: 0,
    activities: {},
    activityTimes: [],
    workflowTaskTimes: [],
    timeline: new Map(),
  };
  for (const event of events) {
    const name = eventName(event);
    const id = toNumber(event.eventId);
    const at = timeOf(event);
    let subject = '';
    if (event.activityTaskScheduledEventAttributes) {
      subject = event.activityTaskScheduledEventAttributes.activityType?.name ?? '?';
      activityTypeBySchedule.set(id, subject);
      scheduledAt.set(id, at);
      digest.activities[subject] = (digest.activities[subject] ?? 0) + 1;
    } else if (event.activityTaskStartedEventAttributes) {
      const scheduled = toNumber(event.activityTaskStartedEventAttributes.scheduledEventId);
      subject = activityTypeBySchedule.get(scheduled) ?? '?';
      startedAt.set(scheduled, at);
    } else if (event.activityTaskCompletedEventAttributes) {
      const scheduled = toNumber(event.activityTaskCompletedEventAttributes.scheduledEventId);
      subject = activityTypeBySchedule.get(scheduled) ?? '?';
      const started = startedAt.get(scheduled) ?? at;
      digest.activityTimes.push({
        type: subject,
        queued: started - (scheduledAt.get(scheduled) ?? started),
        ran: at - started,
      });
    } else if (event.workflowTaskScheduledEventAttributes) {
      scheduledAt.set(id, at);
    } else if (event.workflowTaskStartedEventAttributes) {
      startedAt.set(toNumber(event.workflowTaskStartedEventAttributes.scheduledEventId), at);
    } else if (event.workflowTaskCompletedEventAttributes) {
      digest.workflowTasks++;
      const scheduled = toNumber(event.workflowTaskCompletedEventAttributes.scheduledEventId);
      const started = startedAt.get(scheduled) ?? at;
      digest.workflowTaskTimes.push({ queued: started - (scheduledAt.get(scheduled) ?? started), ran: at - started });
    }
    const base = subject ? `${name} ${subject}` : name;
    const count = (occurrences.get(base) ?? 0) + 1;
    occurrences.set(base, count);
    digest.timeline.set(count > 1 ? `${base} #${count}` : base, at - iterationStart);
  }
  return digest;
}

/** Medians over many digests of the same workflow shape. */
export function summariseDigests(digests: readonly HistoryDigest[]) {
  const median = (values: number[]) => percentile(values, 50);
  const activityTypes = [...new Set(digests.flatMap((digest) => Object.keys(digest.activities)))].sort();
  const labels = new Map<string, number[]>();
  for (const digest of digests) {
    for (const [label, offset] of digest.timeline) labels.set(label, [...(labels.get(label) ?? []), offset]);
  }
  return {
    cases: digests.length,
    events: median(digests.map((digest) => digest.events)),
    bytes: median(digests.map((digest) => digest.bytes)),
    workflowTasks: median(digests.map((digest) => digest.workflowTasks)),
    activities: Object.fromEntries(
      activityTypes.map((type) => [type, median(digests.map((digest) => digest.activities[type] ?? 0))]),
    ),
    /** Per activity type: median queue and run time of one execution. */
    activityTimes: activityTypes.map((type) => {
      const times = digests.flatMap((digest) => digest.activityTimes.filter((time) => time.type === type));
      return { type, queued: median(times.map((time) => time.queued)), ran: median(times.map((time) => time.ran)) };
    }),
    /** Per case: total time workflow tasks waited for a worker, and total time the worker spent on them. */
    workflowTaskQueued: median(digests.map((digest) => sum(digest.workflowTaskTimes.map((time) => time.queued)))),
    workflowTaskRan: median(digests.map((digest) => sum(digest.workflowTaskTimes.map((time) => time.ran)))),
    activityRan: median(digests.map((digest) => sum(digest.activityTimes.map((time) => time.ran)))),
    activityQueued: median(digests.map((digest) => sum(digest.activityTimes.map((time) => time.queued)))),
    /** Event label → median offset from the iteration start, in order; only events every case had. */
    timeline: [...labels]
      .filter(([, offsets]) => offsets.length === digests.length)
      .map(([label, offsets]) => ({ label, offset: median(offsets), mean: mean(offsets) }))
      .sort((a, b) => a.offset - b.offset),
  };
}

export type DigestSummary = ReturnType<typeof summariseDigests>;

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

/** `activityTaskScheduledEventAttributes` → `ActivityTaskScheduled`: the event type without the proto enum. */
function eventName(event: HistoryEvent): string {
  for (const [key, value] of Object.entries(event)) {
    if (key.endsWith('EventAttributes') && value) {
      const bare = key.slice(0, -'EventAttributes'.length);
      return bare.charAt(0).toUpperCase() + bare.slice(1);
    }
  }
  return 'Event';
}

function timeOf(event: HistoryEvent): number {
  const seconds = toNumber(event.eventTime?.seconds);
  return seconds * 1000 + (event.eventTime?.nanos ?? 0) / 1e6;
}

/** Proto int64 fields arrive as Long objects. */
function toNumber(value: { toString(): string } | number | null | undefined): number {
  return value === null || value === undefined ? Number.NaN : Number(value.toString());
}
