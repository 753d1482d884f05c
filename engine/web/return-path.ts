/**
 * The page to return to after logging in, from a `next` parameter: only a path on this site below
 * `under` ("/staff/incidents?x=1"), never another host ("//evil.example", "/\evil.example",
 * "https://…"), so the login is no open redirect. Anything else gives undefined.
 */
export function safeReturnPath(value: unknown, under = '/'): string | undefined {
  if (typeof value !== 'string' || value.length > 2000) return undefined;
  if (!/^\/(?!\/)[\w\-./?=&%~+,:;@]*$/.test(value)) return undefined;
  return value.startsWith(under) ? value : undefined;
}
