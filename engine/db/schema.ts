import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigserial,
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  json,
  varchar,
} from 'drizzle-orm/pg-core';
import type { ProcessModel } from '../model/process-model.js';
import type { FormSchema } from '../../forms/schema.js';

export interface StartStep {
  formId: string;
  title?: { de: string; en: string };
}

/**
 * How a case is started: the start forms in order and what is filled in for the user (once-only). The shape
 * of `service_versions.start`; services/service-definition.ts reads it from `service.json`.
 */
export interface StartConfig {
  steps: StartStep[];
  prefill: Record<string, string>;
}

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const companies = pgTable('companies', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  legalForm: text('legal_form'),
  registerNumber: text('register_number'),
  street: text('street'),
  postalCode: text('postal_code'),
  city: text('city'),
  sector: text('sector'),
  size: text('size'),
  registerCourt: text('register_court'),
  /** Number of employees, as the owner states it on the company profile. */
  employees: integer('employees'),
  phone: text('phone'),
  contactEmail: text('contact_email'),
  website: text('website'),
  /**
   * The organisation id the OpenID Connect provider (e.g. Mein Unternehmenskonto) names the company by: every
   * login with that id joins this company (ADR 0028). Null for companies registered with a password.
   */
  externalId: text('external_id').unique(),
  createdAt: createdAt(),
});

/**
 * An owner invited someone to the company by e-mail: the link carries id + secret, only the secret's hash is
 * stored (the ADR 0016 pattern); single-use, expiring.
 */
export const companyInvites = pgTable(
  'company_invites',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    role: text('role', { enum: ['owner', 'member'] }).notNull(),
    secretHash: text('secret_hash').notNull(),
    invitedByUserId: uuid('invited_by_user_id').references(() => users.id, { onDelete: 'set null' }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index('company_invites_company').on(t.companyId, t.createdAt)],
);

/** Company users (applicants). Staff are a separate table: the two never share a login. */
export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    email: text('email').notNull().unique(),
    name: text('name').notNull(),
    passwordHash: text('password_hash').notNull(),
    /**
     * When the user opened the link of the verification mail; null: a self-registered account that cannot log in
     * yet. Accounts made any other way (seed, invitation) count as verified when made.
     */
    emailVerifiedAt: timestamp('email_verified_at', { withTimezone: true }).defaultNow(),
    /** The language of the user's mails: set from the page at registration or invitation, changed in the settings. */
    language: text('language', { enum: ['de', 'en'] })
      .notNull()
      .default('de'),
    /** The notification kinds the user opted out of (only non-essential ones, engine/case/notifications.ts). */
    notificationOptOuts: text('notification_opt_outs')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /**
     * The OpenID Connect identity (issuer and `sub`) that logs this user in (ADR 0028). A user made by such a login
     * has the unusable password hash `!oidc`: it never logs in with a password.
     */
    oidcIssuer: text('oidc_issuer'),
    oidcSubject: text('oidc_subject'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('users_oidc_identity').on(t.oidcIssuer, t.oidcSubject)],
);

export const memberships = pgTable(
  'memberships',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ['owner', 'member'] })
      .notNull()
      .default('member'),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.companyId] })],
);

/** What a staff member may do besides seeing their groups' tasks; a person may hold several. */
export const STAFF_ROLES = ['caseworker', 'team_lead', 'service_designer', 'administrator'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const staff = pgTable('staff', {
  id: uuid('id').primaryKey().defaultRandom(),
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  passwordHash: text('password_hash').notNull(),
  roles: text('roles', { enum: STAFF_ROLES })
    .array()
    .notNull()
    .default(sql`'{caseworker}'::text[]`),
  /** Set when an administrator disabled the account: no login, and its sessions were ended. */
  disabledAt: timestamp('disabled_at', { withTimezone: true }),
  /** Out of office: while today is within [awayFrom, awayUntil], tasks assigned to them show to the substitute. */
  awayFrom: date('away_from', { mode: 'string' }),
  awayUntil: date('away_until', { mode: 'string' }),
  substituteId: uuid('substitute_id').references((): AnyPgColumn => staff.id, { onDelete: 'set null' }),
  createdAt: createdAt(),
});

export const groups = pgTable('groups', {
  id: varchar('id', { length: 64 }).primaryKey(),
  name: text('name').notNull(),
});

export const staffGroups = pgTable(
  'staff_groups',
  {
    staffId: uuid('staff_id')
      .notNull()
      .references(() => staff.id, { onDelete: 'cascade' }),
    groupId: varchar('group_id', { length: 64 })
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.staffId, t.groupId] })],
);

export const services = pgTable('services', {
  id: uuid('id').primaryKey().defaultRandom(),
  slug: varchar('slug', { length: 80 }).notNull().unique(),
  titleDe: text('title_de').notNull(),
  titleEn: text('title_en').notNull(),
  summaryDe: text('summary_de').notNull(),
  summaryEn: text('summary_en').notNull(),
  /** Shown in the portal's catalog; scenario services of `lotse test` are not. */
  listed: boolean('listed').notNull().default(true),
  /**
   * Days a finished case of this service is kept (`retentionDays` in service.json); null: the
   * installation's default (`CASE_RETENTION_DAYS`). A records policy, so not versioned: it applies to
   * every finished case of the service.
   */
  retentionDays: integer('retention_days'),
  /**
   * Set while the service is paused (designer): the catalog and its start page show the message and no new case
   * starts; running cases and drafts already submitted are not affected.
   */
  pausedAt: timestamp('paused_at', { withTimezone: true }),
  pauseMessageDe: text('pause_message_de'),
  pauseMessageEn: text('pause_message_en'),
  /** service.json's descriptive metadata (description, category, required documents, …) as last published. */
  metadata: jsonb('metadata').$type<Record<string, unknown>>(),
  createdAt: createdAt(),
});

/** Immutable once written: a case keeps the version it started on. */
export const serviceVersions = pgTable(
  'service_versions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    serviceId: uuid('service_id')
      .notNull()
      .references(() => services.id),
    version: integer('version').notNull(),
    contentHash: varchar('content_hash', { length: 64 }).notNull(),
    bpmnXml: text('bpmn_xml').notNull(),
    forms: jsonb('forms').$type<Record<string, FormSchema>>().notNull(),
    /** DMN files of the version by file name, as published. */
    dmn: jsonb('dmn').$type<Record<string, string>>().notNull().default({}),
    /** How a case starts: the start forms as steps and the prefill expressions (service.json). */
    start: jsonb('start').$type<StartConfig>(),
    model: jsonb('model').$type<ProcessModel>().notNull(),
    /**
     * The files the version was published from (file name → text), so an export gives them back byte for byte.
     * Null for versions published before the designer: an export rebuilds them from bpmnXml, forms and dmn.
     */
    files: jsonb('files').$type<Record<string, string>>(),
    /** Staff member who published it from the designer or `lotse publish`; null: the catalog at start. */
    publishedBy: uuid('published_by').references(() => staff.id, { onDelete: 'set null' }),
    publishedAt: createdAt(),
  },
  (t) => [
    uniqueIndex('service_versions_service_version').on(t.serviceId, t.version),
    uniqueIndex('service_versions_service_hash').on(t.serviceId, t.contentHash),
  ],
);

/**
 * The designer's working copy of a service (one per service, by slug): a map of files as in a catalog folder.
 * A new service has a draft and no row in `services` until it is first published.
 */
export const serviceDrafts = pgTable('service_drafts', {
  id: uuid('id').primaryKey().defaultRandom(),
  slug: varchar('slug', { length: 80 }).notNull().unique(),
  files: jsonb('files').$type<Record<string, string>>().notNull(),
  /** The version the draft was opened from; null for a new service. */
  basedOnVersionId: uuid('based_on_version_id').references(() => serviceVersions.id),
  createdBy: uuid('created_by').references(() => staff.id, { onDelete: 'set null' }),
  updatedBy: uuid('updated_by').references(() => staff.id, { onDelete: 'set null' }),
  createdAt: createdAt(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const caseNumberCounters = pgTable('case_number_counters', {
  year: integer('year').primaryKey(),
  last: integer('last').notNull(),
});

/** The text a case is searched by; the index `cases_search` is built on to_tsvector('german', this). */
export const CASE_SEARCH_DOCUMENT = sql.raw(`coalesce(subject, '') || ' ' || variables::text`);

export const cases = pgTable(
  'cases',
  {
    id: uuid('id').primaryKey(),
    number: varchar('number', { length: 32 }).notNull().unique(),
    serviceVersionId: uuid('service_version_id')
      .notNull()
      .references(() => serviceVersions.id),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id),
    createdByUserId: uuid('created_by_user_id')
      .notNull()
      .references(() => users.id),
    /** The start form's submission token: a double submit finds the case the first one created. */
    submissionToken: varchar('submission_token', { length: 64 }).notNull().unique(),
    subject: text('subject'),
    status: text('status', { enum: ['active', 'completed', 'incident'] })
      .notNull()
      .default('active'),
    publicStatus: text('public_status'),
    activeElementIds: jsonb('active_element_ids').$type<string[]>().notNull().default([]),
    variables: jsonb('variables').$type<Record<string, unknown>>().notNull().default({}),
    /** Interpreter step of the last projection; projections only move forward. */
    seq: integer('seq').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
  },
  (t) => [
    index('cases_company').on(t.companyId, t.createdAt),
    // "Meine Vorgänge": a company's cases by last change, keyset-paged on (updated_at, id).
    index('cases_company_updated').on(t.companyId, t.updatedAt, t.id),
    index('cases_status_created').on(t.status, t.createdAt),
    // Case search (staff): German full text over the subject and the submitted data. Queries must use
    // this exact expression (CASE_SEARCH_DOCUMENT) for the index to apply.
    index('cases_search').using('gin', sql`to_tsvector('german'::regconfig, ${CASE_SEARCH_DOCUMENT})`),
  ],
);

/** A Rückfrage as its company task stores it (the pure type is `InformationRequest` in engine/case). */
export interface StoredInformationRequest {
  number: number;
  staffTokenId: string;
  staffTaskName: string | null;
  questions: string[];
  documents: string[];
  message: string;
  /** YYYY-MM-DD: answers are due by the end of this day (agency time). */
  deadline: string;
  requestedBy: string;
  requestedAt: string;
}

export const tasks = pgTable(
  'tasks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    tokenId: varchar('token_id', { length: 32 }).notNull(),
    elementId: text('element_id').notNull(),
    name: text('name'),
    formId: text('form_id'),
    candidateGroups: text('candidate_groups')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** Staff e-mail addresses that may take the task besides its groups. */
    candidateUsers: text('candidate_users')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    assignee: text('assignee'),
    dueDate: timestamp('due_date', { withTimezone: true }),
    followUpDate: timestamp('follow_up_date', { withTimezone: true }),
    /** 0–100, Camunda's default 50. */
    priority: integer('priority').notNull().default(50),
    status: text('status', { enum: ['open', 'completed', 'cancelled'] })
      .notNull()
      .default('open'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    completedBy: text('completed_by'),
    /**
     * A Rückfrage's company task (engine/case/information-request.ts): what the caseworker asked. Its form is
     * generated from this; absent on every task of a model.
     */
    informationRequest: jsonb('information_request').$type<StoredInformationRequest>(),
    /** A staff task waiting for the company's answer to a Rückfrage since then; its due date pauses meanwhile. */
    waitingSince: timestamp('waiting_since', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('tasks_case_token').on(t.caseId, t.tokenId),
    index('tasks_open').on(t.status, t.createdAt),
    index('tasks_open_due').on(t.status, t.dueDate),
    index('tasks_assignee').on(t.assignee, t.status),
    index('tasks_candidate_groups').using('gin', t.candidateGroups),
  ],
);

/** Append-only audit trail; the portal timeline is built from it. */
export const caseEvents = pgTable(
  'case_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    seq: integer('seq').notNull(),
    position: integer('position').notNull(),
    type: text('type').notNull(),
    elementId: text('element_id'),
    elementName: text('element_name'),
    publicStatus: text('public_status'),
    actor: text('actor').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    detail: text('detail'),
  },
  (t) => [uniqueIndex('case_events_case_seq_position').on(t.caseId, t.seq, t.position)],
);

export const outboxMails = pgTable('outbox_mails', {
  id: uuid('id').primaryKey().defaultRandom(),
  /** `caseId:elementId:seq`: a retried activity never sends twice. */
  idempotencyKey: text('idempotency_key').notNull().unique(),
  caseId: uuid('case_id').references(() => cases.id),
  recipient: text('recipient').notNull(),
  subject: text('subject').notNull(),
  body: text('body').notNull(),
  /** The HTML part of a multipart mail (notifications); null: text only. */
  htmlBody: text('html_body'),
  createdAt: createdAt(),
  sentAt: timestamp('sent_at', { withTimezone: true }),
});

/** connect-pg-simple's table, owned by our migrations so nothing creates tables at run time. */
export const sessions = pgTable(
  'session',
  {
    sid: varchar('sid').primaryKey(),
    sess: json('sess').notNull(),
    expire: timestamp('expire', { precision: 6 }).notNull(),
  },
  (t) => [index('IDX_session_expire').on(t.expire)],
);

/**
 * Failed logins per throttle key (engine/services/login-throttle.ts): in PostgreSQL, so every web
 * node counts the same attempts. Rows older than a day mean nothing and are removed by the clean-up job.
 */
export const loginFailures = pgTable(
  'login_failures',
  {
    key: text('key').primaryKey(),
    failures: integer('failures').notNull(),
    lastFailureAt: timestamp('last_failure_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('login_failures_last').on(t.lastFailureAt)],
);

/** Open `zeebe:subscription`s of waiting cases: where a published message is routed. */
export const messageSubscriptions = pgTable(
  'message_subscriptions',
  {
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    subscriptionId: varchar('subscription_id', { length: 32 }).notNull(),
    messageName: text('message_name').notNull(),
    correlationKey: text('correlation_key').notNull(),
    elementId: text('element_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.caseId, t.subscriptionId] }),
    index('message_subscriptions_route').on(t.messageName, t.correlationKey),
  ],
);

/**
 * Open signal subscriptions of waiting cases (ADR 0031): a broadcast reaches every case with one for its name.
 * Written by the projection like message subscriptions; signals are never buffered, so there is no signals table.
 */
export const signalSubscriptions = pgTable(
  'signal_subscriptions',
  {
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    subscriptionId: varchar('subscription_id', { length: 32 }).notNull(),
    signalName: text('signal_name').notNull(),
    elementId: text('element_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.caseId, t.subscriptionId] }), index('signal_subscriptions_route').on(t.signalName)],
);

/** Published messages: buffered until a subscription takes them or their time to live ends. */
export const messages = pgTable(
  'messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    correlationKey: text('correlation_key').notNull(),
    /** Optional publisher id: a second publish with the same name and id is the same message. */
    messageId: text('message_id'),
    variables: jsonb('variables').$type<Record<string, unknown>>().notNull().default({}),
    publishedAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    correlatedCaseId: uuid('correlated_case_id').references(() => cases.id),
    /** The case's step that claimed the buffered message: a retried projection returns it again. */
    correlatedSeq: integer('correlated_seq'),
    correlatedAt: timestamp('correlated_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('messages_name_message_id').on(t.name, t.messageId),
    index('messages_route').on(t.name, t.correlationKey, t.publishedAt),
  ],
);

/** Incidents of the read model: what an administrator sees and retries. */
export const incidents = pgTable(
  'incidents',
  {
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    incidentId: varchar('incident_id', { length: 32 }).notNull(),
    elementId: text('element_id').notNull(),
    message: text('message').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.caseId, t.incidentId] }), index('incidents_open').on(t.resolvedAt, t.createdAt)],
);

/**
 * What is left of a case deleted after its retention: when and why, without personal data — no
 * subject, answers, names or files, only the case number, the service and the dates.
 */
export const caseDeletions = pgTable('case_deletions', {
  id: uuid('id').primaryKey().defaultRandom(),
  caseNumber: varchar('case_number', { length: 32 }).notNull().unique(),
  serviceSlug: varchar('service_slug', { length: 80 }).notNull(),
  serviceVersion: integer('service_version').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  completedAt: timestamp('completed_at', { withTimezone: true }).notNull(),
  retentionDays: integer('retention_days').notNull(),
  deletedAt: timestamp('deleted_at', { withTimezone: true }).notNull(),
});

/** A start form in progress: one per user and service version until submitted or expired. */
export const drafts = pgTable(
  'drafts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id),
    serviceVersionId: uuid('service_version_id')
      .notNull()
      .references(() => serviceVersions.id),
    /** Index of the step the user is on (0-based). */
    step: integer('step').notNull().default(0),
    values: jsonb('values').$type<Record<string, unknown>>().notNull().default({}),
    /** Becomes the case's submission token: submitting a draft twice makes one case. */
    submissionToken: varchar('submission_token', { length: 64 }).notNull().unique(),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    submittedCaseId: uuid('submitted_case_id').references(() => cases.id),
  },
  (t) => [index('drafts_user').on(t.userId, t.updatedAt)],
);

/** Uploaded files: content-addressed blobs (by SHA-256) attached to a draft, then to its case. */
export const documents = pgTable(
  'documents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id),
    caseId: uuid('case_id').references(() => cases.id),
    draftId: uuid('draft_id').references(() => drafts.id, { onDelete: 'set null' }),
    /** The form field (component key) the file was uploaded through. */
    fieldKey: text('field_key').notNull(),
    fileName: text('file_name').notNull(),
    mediaType: text('media_type').notNull(),
    size: integer('size').notNull(),
    sha256: varchar('sha256', { length: 64 }).notNull(),
    scanStatus: text('scan_status', { enum: ['unscanned', 'clean', 'infected'] })
      .notNull()
      .default('unscanned'),
    uploadedBy: text('uploaded_by').notNull(),
    /** Uploaded with a task's form: kept with the task until the completion goes through, then the case's. */
    taskId: uuid('task_id').references((): AnyPgColumn => tasks.id),
    createdAt: createdAt(),
  },
  (t) => [
    index('documents_case').on(t.caseId),
    index('documents_task').on(t.taskId),
    index('documents_draft').on(t.draftId),
    // A generated document (`generated:<element>:<seq>`) is filed once, even by two attempts of its job at once.
    uniqueIndex('documents_generated_once')
      .on(t.caseId, t.fieldKey)
      .where(sql`${t.fieldKey} like 'generated:%'`),
  ],
);

/** The agency's catalog of commercial sites (Gewerbeflächen), matched by the `site-matching` job. */
export const sites = pgTable('sites', {
  id: varchar('id', { length: 64 }).primaryKey(),
  name: text('name').notNull(),
  municipality: text('municipality').notNull(),
  areaSqm: integer('area_sqm').notNull(),
  /** Permitted uses: gewerbe, industrie, logistik, buero, einzelhandel, handwerk. */
  useTypes: text('use_types').array().notNull(),
  pricePerSqmEur: integer('price_per_sqm_eur'),
  availableFrom: text('available_from'),
  motorwayKm: integer('motorway_km'),
  railAccess: boolean('rail_access').notNull().default(false),
  gigabit: boolean('gigabit').notNull().default(false),
  description: text('description').notNull().default(''),
  active: boolean('active').notNull().default(true),
});

/** A caseworker's saved inbox filter (the query string of /staff/tasks), optionally shared with a group. */
export const savedFilters = pgTable(
  'saved_filters',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    staffId: uuid('staff_id')
      .notNull()
      .references(() => staff.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    query: text('query').notNull(),
    sharedWithGroupId: varchar('shared_with_group_id', { length: 64 }).references(() => groups.id, {
      onDelete: 'set null',
    }),
    createdAt: createdAt(),
  },
  (t) => [index('saved_filters_staff').on(t.staffId), index('saved_filters_group').on(t.sharedWithGroupId)],
);

/** Internal notes on a case: staff only, never shown to the company. */
export const caseNotes = pgTable(
  'case_notes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    staffId: uuid('staff_id').references(() => staff.id, { onDelete: 'set null' }),
    /** Kept when the author's account is gone. */
    authorName: text('author_name').notNull(),
    body: text('body').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('case_notes_case').on(t.caseId, t.createdAt)],
);

/**
 * The thread between a case's company and its caseworkers (portal and staff case pages). A message is read by
 * the other side: `readAt` is when someone of that side first opened the case page after it was written.
 */
export const caseMessages = pgTable(
  'case_messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    /** Who wrote it: the company (any of its users) or the agency (a caseworker). */
    side: text('side', { enum: ['company', 'staff'] }).notNull(),
    /** `applicant:<user id>` or `staff:<id>`, like the actors of case events. */
    author: text('author').notNull(),
    /** Kept when the author's account is gone. */
    authorName: text('author_name').notNull(),
    body: text('body').notNull(),
    /** The form's submission token: sending the same form twice makes one message. */
    submissionToken: text('submission_token').notNull().unique(),
    /** Case documents sent with the message (documents.case_id is the case's). */
    attachmentIds: uuid('attachment_ids')
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    readAt: timestamp('read_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index('case_messages_case').on(t.caseId, t.createdAt)],
);

/**
 * Single-use links that let a person set their password (a new staff account, a reset by an administrator).
 * Only the SHA-256 of the secret is stored; the link carries `<id>.<secret>` and the secret is compared in
 * constant time. Usable for company users too (`principalKind`).
 */
export const passwordTokens = pgTable(
  'password_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    principalKind: text('principal_kind', { enum: ['staff', 'applicant'] }).notNull(),
    principalId: uuid('principal_id').notNull(),
    secretHash: text('secret_hash').notNull(),
    purpose: text('purpose', { enum: ['invitation', 'reset', 'verification'] }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index('password_tokens_principal').on(t.principalKind, t.principalId)],
);

/**
 * Account mails sent per key (address or client network) in the current window (engine/services/mail-quota.ts):
 * in PostgreSQL, so every web node counts the same mails. Rows of past windows mean nothing.
 */
export const mailQuotas = pgTable(
  'mail_quotas',
  {
    key: text('key').primaryKey(),
    sent: integer('sent').notNull(),
    windowStartedAt: timestamp('window_started_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('mail_quotas_window').on(t.windowStartedAt)],
);
