import type { Request } from 'express';
import { newSubmissionToken } from '../engine/web/http.js';

declare module 'express-session' {
  interface SessionData {
    /** Per service slug: the submission token of the one-page start form the user has open. */
    startFormTokens: Record<string, string>;
  }
}

/**
 * The submission token of the user's open start form for this service. It stays the same on reload and
 * on the browser's Back button (pages are `no-store`, so Back loads the form again): sending the form a
 * second time reuses the token and makes no second case. Only `newStartToken` begins a new inquiry.
 */
export function openStartToken(req: Request, slug: string): string {
  const tokens = req.session.startFormTokens;
  const open = tokens && Object.hasOwn(tokens, slug) ? tokens[slug] : undefined;
  return open ?? newStartToken(req, slug);
}

/** Begins a new inquiry: a fresh token for the service's start form (the old one keeps its case). */
export function newStartToken(req: Request, slug: string): string {
  const token = newSubmissionToken();
  req.session.startFormTokens = { ...req.session.startFormTokens, [slug]: token };
  return token;
}
