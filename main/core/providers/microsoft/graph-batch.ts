/**
 * JSON `$batch` (providers.md 2.4): at most 20 requests per call with relative urls. Items throttled
 * inside a batch (429/503 with their own Retry-After) and items that failed only because a
 * dependency did (424) are sent again in a later batch; the rest keep their first answer.
 */
import type { GraphClient } from './graph-client';

export const MAX_BATCH = 20;
const MAX_ROUNDS = 8;
const RETRYABLE = new Set([429, 500, 502, 503, 504]);

export interface BatchRequest {
  readonly id: string;
  readonly method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Relative to the version root, e.g. `/me/contacts`. */
  readonly url: string;
  readonly body?: unknown;
  readonly dependsOn?: readonly string[];
}

export interface BatchResponse {
  readonly id: string;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

interface RawResponse {
  id?: unknown;
  status?: unknown;
  headers?: Record<string, string>;
  body?: unknown;
}

function header(headers: Readonly<Record<string, string>>, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key ? headers[key] : undefined;
}

/**
 * Runs requests in batches of 20 and returns the final answer of each, by id. Dependencies
 * (`dependsOn`) must stay within one chunk of 20. Answers are added to `results` as each chunk
 * completes, so a caller that passes its own map still has the answers of the chunks that went
 * through when a later chunk throws (writes that happened must not be forgotten).
 */
export async function runBatches(
  client: GraphClient,
  requests: readonly BatchRequest[],
  signal?: AbortSignal,
  results: Map<string, BatchResponse> = new Map(),
): Promise<Map<string, BatchResponse>> {
  for (let start = 0; start < requests.length; start += MAX_BATCH) {
    await runChunk(client, requests.slice(start, start + MAX_BATCH), results, signal);
  }
  return results;
}

async function runChunk(
  client: GraphClient,
  chunk: readonly BatchRequest[],
  results: Map<string, BatchResponse>,
  signal?: AbortSignal,
): Promise<void> {
  let pending = [...chunk];
  for (let round = 0; pending.length > 0; round += 1) {
    const pendingIds = new Set(pending.map((r) => r.id));
    const payload = {
      requests: pending.map((r) => {
        const item: Record<string, unknown> = { id: r.id, method: r.method, url: r.url };
        const headers: Record<string, string> = { Prefer: `odata.maxpagesize=${client.pageSize}` };
        if (r.body !== undefined) {
          headers['Content-Type'] = 'application/json';
          item.body = r.body;
        }
        item.headers = headers;
        // A dependency that already succeeded in an earlier round is no longer in this batch.
        const deps = (r.dependsOn ?? []).filter((d) => pendingIds.has(d));
        if (deps.length > 0) item.dependsOn = deps;
        return item;
      }),
    };
    const response = await client.request('POST', '/$batch', { json: payload, signal });
    const raw = (response.json as { responses?: RawResponse[] } | undefined)?.responses ?? [];
    const answers = new Map<string, BatchResponse>();
    for (const item of raw) {
      if (typeof item.id !== 'string' || typeof item.status !== 'number') continue;
      answers.set(item.id, {
        id: item.id,
        status: item.status,
        headers: item.headers ?? {},
        body: item.body,
      });
    }
    const retry: BatchRequest[] = [];
    let waitMs = 0;
    for (const request of pending) {
      const answer = answers.get(request.id);
      const lastRound = round + 1 >= MAX_ROUNDS;
      if (!answer) {
        if (lastRound) results.set(request.id, { id: request.id, status: 502, headers: {} });
        else retry.push(request);
        continue;
      }
      if ((RETRYABLE.has(answer.status) || answer.status === 424) && !lastRound) {
        retry.push(request);
        if (answer.status !== 424)
          waitMs = Math.max(waitMs, client.retryDelay(round, header(answer.headers, 'retry-after')));
        continue;
      }
      results.set(request.id, answer);
    }
    // A 424 whose dependency finally failed for good cannot succeed: keep its 424.
    pending = retry.filter((r) => {
      const failedDep = (r.dependsOn ?? []).find((d) => {
        const final = results.get(d);
        return final !== undefined && final.status >= 400;
      });
      if (failedDep) results.set(r.id, answers.get(r.id) ?? { id: r.id, status: 424, headers: {} });
      return !failedDep;
    });
    if (pending.length > 0 && waitMs > 0) await client.sleep(waitMs, signal);
  }
}
