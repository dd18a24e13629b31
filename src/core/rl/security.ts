/**
 * What makes the environment server safe to expose: a bearer token (generated at start, or the
 * operator's), compared in constant time; the policy endpoints /rollout may call, which the
 * operator names; the rule that a server reachable from other machines needs a token the
 * operator chose.
 *
 * OpenEnv's published client cannot add headers to its WebSocket, but it keeps the credentials of
 * its base URL (http://clawgym:<token>@host:port), which the `websockets` package sends as HTTP
 * Basic: so the token is accepted as a Bearer token or as the password of Basic credentials.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { isIP } from 'node:net';
import { UsageError } from '../errors.js';

/** 32 random bytes, URL-safe (it goes into base URLs as a password). */
export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** Constant-time equality of the presented token with the expected one (digests: equal lengths whatever was sent). */
export function tokenMatches(expected: string, presented: string | undefined): boolean {
  if (presented === undefined) return false;
  return timingSafeEqual(digest(expected), digest(presented));
}

/** The token a request presents: `Authorization: Bearer <t>`, or Basic credentials whose password is <t>. */
export function presentedToken(headers: IncomingHttpHeaders): string | undefined {
  const h = headers.authorization;
  if (!h) return undefined;
  const m = /^(Bearer|Basic)\s+(\S+)\s*$/i.exec(h);
  if (!m) return undefined;
  if (m[1]!.toLowerCase() === 'bearer') return m[2];
  const decoded = Buffer.from(m[2]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : decoded.slice(colon + 1);
}

/** 127.0.0.0/8, ::1 and localhost: only this machine can connect. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (h.startsWith('::ffff:')) return h.slice(7).startsWith('127.');
  return false;
}

export type AuthMode = { kind: 'token'; token: string; generated: boolean } | { kind: 'none' };

/**
 * The server's authentication from its options: a given token, or one generated now; none only
 * when asked for on a loopback address. A server on another address needs the operator's own
 * token (a generated one would be printed to a console for anyone reading the logs).
 */
export function resolveAuth(o: { host: string; token?: string; noAuth?: boolean }): AuthMode {
  const local = isLoopbackHost(o.host);
  if (o.noAuth) {
    if (!local) throw new UsageError(`--no-auth is only for a loopback address (127.0.0.1, ::1); ${o.host} is reachable from other machines`);
    return { kind: 'none' };
  }
  if (o.token !== undefined) {
    if (o.token.length < 16) throw new UsageError('the token must be at least 16 characters');
    return { kind: 'token', token: o.token, generated: false };
  }
  if (!local) {
    throw new UsageError(`serving on ${o.host} needs a token of your own: --token <t> or CLAWGYM_ENV_TOKEN (e.g. \`openssl rand -base64 32\`); clients send it as "Authorization: Bearer <t>"`);
  }
  return { kind: 'token', token: generateToken(), generated: true };
}

/**
 * The policy endpoints /rollout may call: each allowed entry is a URL; a base URL is allowed when
 * scheme, host and port are the same and its path is the entry's path or below it.
 */
export class BaseUrlPolicy {
  private readonly allowed: URL[];

  constructor(entries: readonly string[]) {
    this.allowed = entries.map((e) => {
      let u: URL;
      try {
        u = new URL(e);
      } catch {
        throw new UsageError(`--allow-base-url ${JSON.stringify(e)}: not a URL`);
      }
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new UsageError(`--allow-base-url ${e}: only http and https`);
      if (u.username || u.password) throw new UsageError(`--allow-base-url ${e}: no credentials in the URL`);
      return u;
    });
  }

  get entries(): string[] {
    return this.allowed.map((u) => u.href);
  }

  /** null when allowed, else why not. */
  refusal(baseUrl: string): string | null {
    let u: URL;
    try {
      u = new URL(baseUrl);
    } catch {
      return 'not a URL';
    }
    if (u.username || u.password) return 'credentials in base_url are not accepted (send api_key)';
    if (!this.allowed.length) return 'this server allows no policy endpoint (start it with --allow-base-url <url>)';
    const path = (p: string) => (p.endsWith('/') ? p : `${p}/`);
    const ok = this.allowed.some((a) => a.protocol === u.protocol && a.host === u.host && path(u.pathname).startsWith(path(a.pathname)));
    return ok ? null : `${u.origin}${u.pathname} is not among the base URLs this server allows`;
  }
}
