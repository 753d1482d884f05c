/**
 * How many account mails (registration, verification again, password reset) one address and one client network
 * may cause (pure, ADR 0028): mail bombing a stranger's mailbox, or the outbox, through our forms stays bounded.
 *
 * Every request that could send such a mail counts, whether or not a mail goes out — counting only sent mails
 * would tell an attacker which addresses have accounts. Over the quota nothing is sent, and the page says the
 * same as always.
 */
import { clientNetwork, normalizeLoginEmail } from './login-throttle.js';

/** Counts run for an hour from a key's first request; then they start again. */
export const MAIL_QUOTA_WINDOW_MS = 60 * 60_000;

/** Account mails per hour (`ACCOUNT_MAILS_PER_ADDRESS`, `ACCOUNT_MAILS_PER_NETWORK`). */
export interface MailQuotaLimits {
  /** One mailbox: enough for a typo, a lost mail and a second try (default 3). */
  perAddress: number;
  /** One client network (offices share an address): generous, against spraying many mailboxes (default 20). */
  perNetwork: number;
}

export interface QuotaKey {
  key: string;
  limit: number;
}

/** The keys a mail to `email`, asked for from `address`, counts against. */
export function mailQuotaKeys(email: string, address: string | undefined, limits: MailQuotaLimits): QuotaKey[] {
  return [
    { key: `mail:address:${normalizeLoginEmail(email)}`, limit: limits.perAddress },
    { key: `mail:network:${clientNetwork(address)}`, limit: limits.perNetwork },
  ];
}

/** Whether the mail may go out, given each key's count in its window including this request. */
export function withinQuota(keys: QuotaKey[], counts: ReadonlyMap<string, number>): boolean {
  return keys.every(({ key, limit }) => (counts.get(key) ?? 0) <= limit);
}
