/** Keys never reach disk: secret headers are masked and any known secret is cut out of text. */
export const REDACTED = '[REDACTED]';

const SECRET_HEADER = /^(authorization|proxy-authorization|api-key|x-api-key|openai-api-key|cookie|set-cookie)$/i;
const SECRET_FIELD = /^(api[_-]?key|apikey|authorization|password|secret|token|access[_-]?token)$/i;

/** A secret value masked, keeping the auth scheme so a reader sees which kind it was. */
function maskValue(v: string): string {
  return /^bearer /i.test(v) ? `Bearer ${REDACTED}` : REDACTED;
}

export function redactHeaders(h: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) out[k] = SECRET_HEADER.test(k) ? maskValue(v) : v;
  return out;
}

/** Secrets worth searching for: short strings would mask ordinary text. */
export function secretsOf(values: Array<string | undefined>): string[] {
  return values.filter((v): v is string => typeof v === 'string' && v.length >= 8);
}

/** A deep copy with secret-named fields masked and every occurrence of `secrets` replaced. */
export function redact<T>(value: T, secrets: readonly string[]): T {
  const walk = (v: unknown, key?: string): unknown => {
    if (typeof v === 'string') {
      if (key !== undefined && (SECRET_FIELD.test(key) || SECRET_HEADER.test(key))) return maskValue(v);
      let s = v;
      for (const secret of secrets) if (s.includes(secret)) s = s.replaceAll(secret, REDACTED);
      return s;
    }
    if (Array.isArray(v)) return v.map((x) => walk(x));
    if (v && typeof v === 'object') {
      const o: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) o[k] = walk(x, k);
      return o;
    }
    return v;
  };
  return walk(value) as T;
}
