import { and, asc, count, desc, eq, inArray, isNull, ne, or, sql } from 'drizzle-orm';
import { caseMessages, cases, memberships, staff, staffGroups, tasks, users } from '../db/schema.js';
import { createCaseRepository } from './case.repository.js';
import { createDocumentRepository } from './document.repository.js';
import type { Executor } from './executor.js';

export type CaseMessageRow = typeof caseMessages.$inferSelect;
export type MessageSide = CaseMessageRow['side'];

/** A person a new message is mailed to. */
export interface MessageRecipient {
  email: string;
  name: string;
}

/** The messages between a case's company and its caseworkers, their read markers and whom to tell of a new one. */
export function createCaseMessageRepository(db: Executor) {
  return {
    /** The case a thread belongs to: its number and company (the caller decides who may see it). */
    caseOf: async (caseId: string) =>
      (
        await db
          .select({ id: cases.id, number: cases.number, companyId: cases.companyId })
          .from(cases)
          .where(eq(cases.id, caseId))
      )[0],

    /**
     * Writes the message and hands its attachments (uploads of its author not yet in a case) to the case, in one
     * transaction. A second send with the same token writes nothing and returns the first one's message.
     */
    async add(message: {
      caseId: string;
      side: MessageSide;
      author: string;
      authorName: string;
      body: string;
      submissionToken: string;
      attachmentIds: string[];
    }): Promise<{ message: CaseMessageRow; created: boolean }> {
      return db.transaction(async (tx) => {
        const [row] = await tx.insert(caseMessages).values(message).onConflictDoNothing().returning();
        // Attachments join the case in the same transaction, through their table's owner; so does the case's
        // last change ("Meine Vorgänge" sorts by it).
        if (row) {
          await createDocumentRepository(tx).attachLooseUploads(message.attachmentIds, message.author, message.caseId);
          await createCaseRepository(tx).touch(message.caseId, row.createdAt);
          return { message: row, created: true };
        }
        const [first] = await tx
          .select()
          .from(caseMessages)
          .where(eq(caseMessages.submissionToken, message.submissionToken));
        if (!first) throw new Error('the message was not written');
        return { message: first, created: false };
      });
    },

    bySubmissionToken: async (token: string): Promise<CaseMessageRow | undefined> =>
      (await db.select().from(caseMessages).where(eq(caseMessages.submissionToken, token)))[0],

    /** A case's thread, oldest first. */
    ofCase: (caseId: string): Promise<CaseMessageRow[]> =>
      db.select().from(caseMessages).where(eq(caseMessages.caseId, caseId)).orderBy(asc(caseMessages.createdAt)),

    /** The reader of `readerSide` opened the thread: every message of the other side is read from now on. */
    async markRead(caseId: string, readerSide: MessageSide, at: Date): Promise<void> {
      await db
        .update(caseMessages)
        .set({ readAt: at })
        .where(and(eq(caseMessages.caseId, caseId), ne(caseMessages.side, readerSide), isNull(caseMessages.readAt)));
    },

    /** Per case of the company: how many of the agency's messages nobody of the company has read yet. */
    async unreadForCompany(companyId: string): Promise<Map<string, number>> {
      const rows = await db
        .select({ caseId: caseMessages.caseId, unread: count() })
        .from(caseMessages)
        .innerJoin(cases, eq(cases.id, caseMessages.caseId))
        .where(and(eq(cases.companyId, companyId), eq(caseMessages.side, 'staff'), isNull(caseMessages.readAt)))
        .groupBy(caseMessages.caseId);
      return new Map(rows.map((row) => [row.caseId, row.unread]));
    },

    /** Every user of the case's company (a shared inbox: all members read the thread). */
    companyUsersOfCase: (caseId: string): Promise<MessageRecipient[]> =>
      db
        .select({ email: users.email, name: users.name })
        .from(cases)
        .innerJoin(memberships, eq(memberships.companyId, cases.companyId))
        .innerJoin(users, eq(users.id, memberships.userId))
        .where(eq(cases.id, caseId))
        .orderBy(asc(users.email)),

    /**
     * The caseworkers of the case's open staff tasks: their assignees, else the members of their candidate groups
     * and their candidate users. Disabled accounts get no mail.
     */
    async caseworkersOfCase(caseId: string): Promise<MessageRecipient[]> {
      const open = await db
        .select({ assignee: tasks.assignee, groups: tasks.candidateGroups, people: tasks.candidateUsers })
        .from(tasks)
        .where(
          and(
            eq(tasks.caseId, caseId),
            eq(tasks.status, 'open'),
            sql`not ('applicant' = any(${tasks.candidateGroups}))`,
          ),
        );
      const assignees = open.flatMap((task) => (task.assignee ? [task.assignee] : []));
      const named = assignees.length > 0 ? assignees : open.flatMap((task) => task.people);
      const groups = assignees.length > 0 ? [] : open.flatMap((task) => task.groups);
      if (named.length === 0 && groups.length === 0) return [];
      const uuids = named.filter((name) => UUID.test(name));
      return db
        .selectDistinct({ email: staff.email, name: staff.name })
        .from(staff)
        .leftJoin(staffGroups, eq(staffGroups.staffId, staff.id))
        .where(
          and(
            isNull(staff.disabledAt),
            or(
              ...(named.length > 0 ? [inArray(staff.email, named)] : []),
              ...(uuids.length > 0 ? [inArray(staff.id, uuids)] : []),
              ...(groups.length > 0 ? [inArray(staffGroups.groupId, groups)] : []),
            ),
          ),
        )
        .orderBy(asc(staff.email));
    },

    /** The staff member who last wrote in the case's thread (still enabled), for when no task names anyone. */
    async lastStaffWriter(caseId: string): Promise<MessageRecipient | undefined> {
      const [row] = await db
        .select({ email: staff.email, name: staff.name })
        .from(caseMessages)
        .innerJoin(staff, sql`${caseMessages.author} = 'staff:' || ${staff.id}::text`)
        .where(and(eq(caseMessages.caseId, caseId), eq(caseMessages.side, 'staff'), isNull(staff.disabledAt)))
        .orderBy(desc(caseMessages.createdAt))
        .limit(1);
      return row;
    },
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type CaseMessageRepository = ReturnType<typeof createCaseMessageRepository>;
