import { scaled } from '../time-scale.ts';
import { assertClusterAddress } from './guard.ts';

export interface HttpResponse {
  status: number;
  text: string;
  json<T = unknown>(): T;
}

export interface HttpOptions {
  method?: string;
  body?: unknown;
  timeoutMs?: number;
  auth?: { username: string; password: string };
}

/**
 * A kept-alive connection that the server closed just as it was reused ("other side closed"):
 * HAProxy closes the connection after its stats page's 401, and fetch may send the next request
 * on it. Such a request never reached the server, so a GET is sent again once.
 */
function closedUnderUs(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string } }).cause;
  return cause?.code === 'UND_ERR_SOCKET' || cause?.code === 'ECONNRESET';
}

/** One HTTP request to a cluster address, after the safety guard. Network errors become a status of 0. */
export async function request(address: string, port: number, path: string, options: HttpOptions = {}): Promise<HttpResponse> {
  const first = await requestOnce(address, port, path, options);
  const method = options.method ?? 'GET';
  if (first.status === 0 && first.closedUnderUs && (method === 'GET' || method === 'HEAD')) {
    return requestOnce(address, port, path, options);
  }
  return first;
}

async function requestOnce(
  address: string,
  port: number,
  path: string,
  options: HttpOptions,
): Promise<HttpResponse & { closedUnderUs?: boolean }> {
  await assertClusterAddress(address);
  const headers: Record<string, string> = {};
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.auth) {
    headers.authorization = `Basic ${Buffer.from(`${options.auth.username}:${options.auth.password}`).toString('base64')}`;
  }
  try {
    const res = await fetch(`http://${address}:${port}${path}`, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(scaled(options.timeoutMs ?? 3000)),
    });
    const text = await res.text();
    return { status: res.status, text, json: <T>() => JSON.parse(text) as T };
  } catch (error) {
    const reason = (error as Error & { cause?: Error }).cause?.message ?? (error as Error).message;
    return {
      status: 0,
      closedUnderUs: closedUnderUs(error),
      text: reason,
      json: () => {
        throw new Error(`no answer from ${address}:${port}${path}: ${reason}`);
      },
    };
  }
}
