// COURSE_WEBHOOK_ALLOW (pure): which webhook URLs the worker may call. Unset or empty: any http(s)
// URL, loopback included (CONTRACT.md). Otherwise a comma (or space) separated list; a URL is
// allowed when it matches one entry:
//   https://hooks.example.com/course   a URL prefix: same scheme, host and port, and the path is
//                                      /course or below it (/course/x, not /courses)
//   hooks.example.com                  a host: any http(s) URL on that host, any port
//   *.example.com                      any subdomain of example.com (not example.com itself)
//   127.0.0.1:9000  [::1]:9000         a host and port
// A refused URL is never called: its delivery is marked dead at once, naming the setting.

export type AllowEntry =
  | { kind: 'prefix'; protocol: string; host: string; port: string; path: string; text: string }
  | { kind: 'host'; host: string; port?: string; text: string }
  | { kind: 'suffix'; suffix: string; text: string };

export type AllowList = AllowEntry[] | 'any';

const DEFAULT_PORT: Record<string, string> = { 'http:': '80', 'https:': '443' };

function portOf(u: URL): string {
  return u.port || DEFAULT_PORT[u.protocol] || '';
}

export function parseAllowList(text: string | undefined): AllowList {
  const items = (text ?? '')
    .split(/[,\s]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (items.length === 0) return 'any';
  return items.map((item): AllowEntry => {
    if (item.includes('://')) {
      let u: URL;
      try {
        u = new URL(item);
      } catch {
        throw new Error(`COURSE_WEBHOOK_ALLOW: '${item}' is not a URL`);
      }
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`COURSE_WEBHOOK_ALLOW: '${item}' is not an http(s) URL`);
      return { kind: 'prefix', protocol: u.protocol, host: u.hostname.toLowerCase(), port: portOf(u), path: u.pathname, text: item };
    }
    if (item.startsWith('*.')) return { kind: 'suffix', suffix: item.slice(1).toLowerCase(), text: item };
    let u: URL;
    try {
      u = new URL(`http://${item}`);
    } catch {
      throw new Error(`COURSE_WEBHOOK_ALLOW: '${item}' is neither a URL prefix, a host, *.domain nor host:port`);
    }
    if (u.pathname !== '/' || u.search || u.username) throw new Error(`COURSE_WEBHOOK_ALLOW: '${item}' is neither a URL prefix (with its scheme), a host, *.domain nor host:port`);
    const port = /:\d+$/.test(item) ? u.port || '80' : undefined;
    return { kind: 'host', host: u.hostname.toLowerCase(), ...(port !== undefined && { port }), text: item };
  });
}

function pathWithin(path: string, prefix: string): boolean {
  if (prefix === '/' || prefix === '') return true;
  if (prefix.endsWith('/')) return path.startsWith(prefix);
  return path === prefix || path.startsWith(`${prefix}/`);
}

/** null when `url` may be called; otherwise why not. */
export function refusalOf(url: string, list: AllowList): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `webhook URL is not a valid URL`;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return `webhook URL must be http:// or https://, not ${u.protocol}`;
  if (list === 'any') return null;
  const host = u.hostname.toLowerCase();
  const port = portOf(u);
  for (const e of list) {
    if (e.kind === 'prefix' && e.protocol === u.protocol && e.host === host && e.port === port && pathWithin(u.pathname, e.path)) return null;
    if (e.kind === 'host' && e.host === host && (e.port === undefined || e.port === port)) return null;
    if (e.kind === 'suffix' && host.endsWith(e.suffix) && host.length > e.suffix.length) return null;
  }
  return `webhook URL ${redactUrl(url)} is not allowed by COURSE_WEBHOOK_ALLOW (${list.map((e) => e.text).join(', ')}): add its host or a URL prefix there, or change the definition's webhook`;
}

const SECRET_PARAM = /token|secret|key|sig|signature|pass|password|auth|code|credential/i;

/**
 * A URL fit to show: a password in it is masked, and so are the values of query parameters whose
 * names suggest a credential (`?token=…`). The webhook's `secret` is never part of it anyway.
 */
export function redactUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url;
  }
  if (u.password) u.password = '***';
  for (const key of [...new Set(u.searchParams.keys())]) {
    if (SECRET_PARAM.test(key)) u.searchParams.set(key, '***');
  }
  return u.toString().replace(/%2A%2A%2A/g, '***');
}
