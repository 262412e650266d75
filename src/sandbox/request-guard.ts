// What a web page open on the same machine must not do to a sandbox: reach it under another name (DNS
// rebinding: only localhost, 127.0.0.1, [::1] and the name it was started with are answered, with or
// without its port) or change it with a cross-site request (a write to /__sandbox/ needs
// `Content-Type: application/json`, which a form or a no-cors fetch cannot send, and no foreign
// Origin). Pure.
import type { IncomingHttpHeaders } from 'node:http';

export type Refusal = { status: number; error: string } | undefined;

const LOCAL_NAMES = ['localhost', '127.0.0.1', '[::1]'];

function bracketed(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/** The Host values the server answers: each local name and its own, bare or with the port. */
export function allowedHosts(listenHost: string, port: number): Set<string> {
  const names = new Set([...LOCAL_NAMES, bracketed(listenHost.toLowerCase())]);
  const out = new Set<string>();
  for (const name of names) {
    out.add(name);
    out.add(`${name}:${port}`);
  }
  return out;
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Why a request is refused before anything else looks at it, or undefined. */
export function refuseRequest(
  method: string,
  path: string,
  headers: IncomingHttpHeaders,
  hosts: ReadonlySet<string>,
): Refusal {
  const host = first(headers.host)?.toLowerCase();
  if (host === undefined || !hosts.has(host))
    return {
      status: 421,
      error: 'this sandbox answers only on localhost, 127.0.0.1, [::1] or the name it was started with',
    };
  if (!path.startsWith('/__sandbox') || method === 'GET' || method === 'HEAD') return undefined;
  const origin = first(headers.origin);
  if (origin !== undefined && origin !== 'null') {
    let originHost: string | undefined;
    try {
      originHost = new URL(origin).host.toLowerCase();
    } catch {
      originHost = undefined;
    }
    if (originHost === undefined || !hosts.has(originHost))
      return { status: 403, error: `a request from ${origin} may not change the sandbox` };
  } else if (origin === 'null') {
    return { status: 403, error: 'a request from an opaque origin may not change the sandbox' };
  }
  const type = first(headers['content-type'])?.split(';', 1)[0]?.trim().toLowerCase();
  if (type !== 'application/json')
    return { status: 415, error: 'changes to the sandbox are JSON: send Content-Type: application/json' };
  return undefined;
}
