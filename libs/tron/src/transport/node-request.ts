import type { providers } from 'tronweb';

import { NodeResponseError } from './node-failure';

type HttpProvider = InstanceType<typeof providers.HttpProvider>;

/**
 * One HTTP request to a java-tron (or TronGrid) endpoint through a TronWeb provider. java-tron reports
 * server-side exceptions as HTTP 200 with `{ "Error": "..." }`; that becomes a NodeResponseError here so the
 * retry loop can tell a node that answered "no" from one that did not answer.
 */
export async function nodeRequest<T extends object>(
  provider: HttpProvider,
  path: string,
  payload: Record<string, unknown> = {},
  method: 'get' | 'post' = 'post',
): Promise<T> {
  const body = await provider.request<T | { Error?: unknown } | null | string>(path, payload, method);
  if (body === null || typeof body !== 'object') {
    throw new NodeResponseError(`${path}: the node answered with no JSON object`);
  }
  if ('Error' in body && body.Error !== undefined) {
    throw new NodeResponseError(`${path}: ${typeof body.Error === 'string' ? body.Error : 'node error'}`);
  }
  return body as T;
}
