import { z } from 'zod';

/** Every setting comes from the environment, validated once at start with a clear message. */
const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATA_DIR: z.string().default('./data'),
  /** Unset: an embedded PostgreSQL is started with its data in DATA_DIR/pg. */
  DATABASE_URL: z.url().optional(),
  EMBEDDED_PG_PORT: z.coerce.number().int().default(5433),
  /** Unset: a Temporal CLI dev server is started as a child process with its SQLite file in DATA_DIR. */
  TEMPORAL_ADDRESS: z.string().optional(),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_API_KEY: z.string().optional(),
  TEMPORAL_TLS: z.stringbool().default(false),
  TEMPORAL_DEV_PORT: z.coerce.number().int().default(7233),
  TEMPORAL_UI_PORT: z.coerce.number().int().default(8233),
  TEMPORAL_TASK_QUEUE: z.string().default('lotse-cases'),
  TEMPORAL_CLI: z.string().optional(),
  SESSION_SECRET: z.string().min(32).optional(),
  /** Unset: mail is only captured in the outbox (viewable in the admin area). */
  SMTP_URL: z.url().optional(),
  /**
   * The address people reach Lotse at (`https://service.kreis.example`), for links in e-mails. Unset: the
   * address of the request that caused the mail — fine on one machine, but a Host header is the sender's to
   * choose, so production requires it.
   */
  PUBLIC_URL: z.url().optional(),
  MAIL_FROM: z.string().default('Wirtschaftsförderung <noreply@wirtschaftsfoerderung.example>'),
  SEED_DEMO: z.stringbool().default(true),
  /** A login without a request for this many minutes ends (the session cookie lives as long). */
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(1440).default(30),
  /** A login ends this many hours after it began, however busy. */
  SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).max(168).default(12),
  /** Days a start-form draft is kept after its last change. */
  DRAFT_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /** Days a finished case is kept when its service.json sets no `retentionDays`; then the clean-up deletes it. */
  CASE_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(1095),
  /** Largest accepted upload, per file, in bytes (10 MiB). */
  UPLOAD_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(1024 * 1024 * 1024)
    .default(10 * 1024 * 1024),
  /** Unset: uploads are stored unscanned (`scan_status = 'unscanned'`); set: every upload goes through clamd. */
  CLAMD_HOST: z.string().min(1).optional(),
  CLAMD_PORT: z.coerce.number().int().min(1).max(65535).default(3310),
  /**
   * Login with OpenID Connect for companies (Mein Unternehmenskonto, BundID for companies; ADR 0028). Unset: the
   * feature is off and the login page shows no button.
   */
  OIDC_ISSUER: z.url().optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_SCOPES: z.string().min(1).default('openid email profile'),
  /** The claims that carry the organisation's id and name (the company the user acts for). */
  OIDC_ORG_ID_CLAIM: z.string().min(1).default('org_id'),
  OIDC_ORG_NAME_CLAIM: z.string().min(1).default('org_name'),
  /** Registration, verification and reset mails one e-mail address, and one client network, may cause per hour. */
  ACCOUNT_MAILS_PER_ADDRESS: z.coerce.number().int().min(1).max(10_000).default(3),
  ACCOUNT_MAILS_PER_NETWORK: z.coerce.number().int().min(1).max(1_000_000).default(20),
  /** Who reads the accessibility feedback form's messages (BITV 2.0 § 7; ADR 0032). */
  ACCESSIBILITY_CONTACT: z.email().default('barrierefreiheit@wirtschaftsfoerderung.example'),
  /** Feedback messages one client network may send per hour. */
  ACCESSIBILITY_FEEDBACK_PER_NETWORK: z.coerce.number().int().min(1).max(10_000).default(5),
  /** The agency's Impressum, privacy notice and accessibility statement (`<page>.<de|en>.md`); unset: config/legal. */
  LEGAL_DIR: z.string().min(1).optional(),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** Unset: `info`, and `silent` under NODE_ENV=test. JSON lines on standard output (pino). */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
});

export type Config = z.infer<typeof schema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  if (parsed.data.NODE_ENV === 'production' && !parsed.data.SESSION_SECRET) {
    throw new Error('Invalid configuration:\n  SESSION_SECRET: required in production (at least 32 characters)');
  }
  if (parsed.data.NODE_ENV === 'production' && !parsed.data.PUBLIC_URL) {
    throw new Error('Invalid configuration:\n  PUBLIC_URL: required in production (the address in mailed links)');
  }
  const { OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET } = parsed.data;
  if (OIDC_ISSUER && (!OIDC_CLIENT_ID || !OIDC_CLIENT_SECRET)) {
    // The message names the variables, never their values: the secret must not reach a log.
    throw new Error('Invalid configuration:\n  OIDC_CLIENT_ID, OIDC_CLIENT_SECRET: required when OIDC_ISSUER is set');
  }
  if (OIDC_ISSUER && parsed.data.NODE_ENV === 'production' && !OIDC_ISSUER.startsWith('https://')) {
    throw new Error('Invalid configuration:\n  OIDC_ISSUER: must be an https:// address in production');
  }
  return parsed.data;
}

/** The OpenID Connect settings, or undefined when the feature is off (no OIDC_ISSUER). */
export function oidcSettingsOf(config: Config) {
  const { OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET } = config;
  if (!OIDC_ISSUER || !OIDC_CLIENT_ID || !OIDC_CLIENT_SECRET) return undefined;
  return {
    issuer: OIDC_ISSUER,
    clientId: OIDC_CLIENT_ID,
    clientSecret: OIDC_CLIENT_SECRET,
    scopes: config.OIDC_SCOPES,
    claims: { organisationId: config.OIDC_ORG_ID_CLAIM, organisationName: config.OIDC_ORG_NAME_CLAIM },
  };
}
