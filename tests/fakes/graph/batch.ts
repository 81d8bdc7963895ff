/**
 * JSON batching (providers.md 2.4): at most 20 requests with relative urls, duplicate ids refused,
 * `dependsOn` honoured (a failed dependency gives 424), per-item status and per-item throttling.
 * Replies come back in a different order than sent, as the service allows.
 */
import type { CloudState, Principal } from './cloud-state';
import type { FaultRule } from './faults';
import { graphError, parseJsonBody, type FakeRequest, type FakeResponse } from './http-util';

interface BatchItem {
  readonly id: string;
  readonly method: string;
  readonly url: string;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
  readonly dependsOn?: readonly string[];
}

export const MAX_BATCH_ITEMS = 20;

function isItem(value: unknown): value is BatchItem {
  const item = value as BatchItem;
  return (
    !!item &&
    typeof item.id === 'string' &&
    typeof item.method === 'string' &&
    typeof item.url === 'string' &&
    (item.dependsOn === undefined || Array.isArray(item.dependsOn))
  );
}

export function executeBatch(
  state: CloudState,
  principal: Principal,
  outer: FakeRequest,
  run: (principal: Principal, req: FakeRequest) => FakeResponse,
): FakeResponse {
  const parsed = parseJsonBody(outer);
  const requests = parsed.ok ? parsed.value.requests : undefined;
  if (!Array.isArray(requests) || requests.length === 0 || !requests.every(isItem)) {
    return graphError(400, 'BadRequest', 'Invalid batch payload format.', outer);
  }
  if (requests.length > MAX_BATCH_ITEMS) {
    return graphError(
      400,
      'BadRequest',
      `The number of batch requests exceeds the limit of ${MAX_BATCH_ITEMS}.`,
      outer,
    );
  }
  const ids = new Set<string>();
  for (const item of requests) {
    if (ids.has(item.id))
      return graphError(400, 'BadRequest', 'Batch request contains duplicate ids.', outer);
    ids.add(item.id);
  }
  for (const item of requests) {
    for (const dep of item.dependsOn ?? []) {
      if (!ids.has(dep)) return graphError(400, 'BadRequest', 'Depends on id not found in the batch.', outer);
    }
  }
  const results = new Map<string, FakeResponse>();
  const pending = [...requests];
  while (pending.length > 0) {
    const index = pending.findIndex((item) => (item.dependsOn ?? []).every((dep) => results.has(dep)));
    if (index < 0) return graphError(400, 'BadRequest', 'Circular dependency in the batch.', outer);
    const [item] = pending.splice(index, 1);
    const failedDep = (item.dependsOn ?? []).some((dep) => (results.get(dep)?.status ?? 500) >= 400);
    results.set(
      item.id,
      failedDep
        ? graphError(424, 'FailedDependency', 'A dependent request failed.', outer)
        : runItem(state, principal, outer, item, run),
    );
  }
  const responses = [...requests].reverse().map((item) => {
    const res = results.get(item.id) as FakeResponse;
    const headers: Record<string, string> = { ...(res.headers ?? {}) };
    let body: unknown;
    if (res.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = res.json;
    } else if (res.bytes) {
      // Binary bodies travel base64-encoded inside the JSON envelope.
      body = Buffer.from(res.bytes).toString('base64');
    }
    return body === undefined
      ? { id: item.id, status: res.status, headers }
      : { id: item.id, status: res.status, headers, body };
  });
  return { status: 200, json: { responses } };
}

function runItem(
  state: CloudState,
  principal: Principal,
  outer: FakeRequest,
  item: BatchItem,
  run: (principal: Principal, req: FakeRequest) => FakeResponse,
): FakeResponse {
  if (/^https?:/i.test(item.url))
    return graphError(400, 'BadRequest', 'Batch request urls must be relative.', outer);
  const relative = item.url.startsWith('/') ? item.url : `/${item.url}`;
  const [path, query = ''] = relative.split('?', 2);
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(item.headers ?? {})) headers[key.toLowerCase()] = value;
  let body = Buffer.alloc(0);
  if (typeof item.body === 'string') {
    const json = (headers['content-type'] ?? '').includes('json');
    body = json ? Buffer.from(item.body) : Buffer.from(item.body, 'base64');
  } else if (item.body !== undefined) {
    body = Buffer.from(JSON.stringify(item.body));
  }
  const req: FakeRequest = {
    method: item.method.toUpperCase(),
    path,
    query: new URLSearchParams(query),
    headers,
    body,
    base: outer.base,
    inBatch: true,
  };
  let decoded = path;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    // keep raw
  }
  const fault: FaultRule | undefined = state.faults.take(req.method, decoded, true);
  let res: FakeResponse;
  if (fault?.kind === 'throttle' || fault?.kind === 'unavailable') {
    const status = fault.kind === 'throttle' ? 429 : 503;
    const extra = fault.retryAfter !== undefined ? { 'Retry-After': String(fault.retryAfter) } : undefined;
    res =
      status === 429
        ? graphError(
            429,
            'ApplicationThrottled',
            'Application is over its MailboxConcurrency limit.',
            req,
            extra,
          )
        : graphError(503, 'serviceNotAvailable', 'Service unavailable.', req, extra);
  } else {
    res = run(principal, req);
  }
  state.log.push({
    method: req.method,
    path: decoded,
    rawPath: path,
    query,
    prefer: headers.prefer,
    inBatch: true,
    status: res.status,
  });
  return res;
}
