// What the applier needs of a client (`ApiCaller`: the real client, or a test double over real HTTP),
// requests typed by their endpoint, and one exchange whose answer stays tied to its request's type.
import type { ApiResult } from './api-result.js';
import type { EndpointName, EndpointTypes } from './endpoints.js';

export type EndpointRequest<E extends EndpointName> = EndpointTypes[E]['request'];
export type EndpointResponse<E extends EndpointName> = EndpointTypes[E]['response'];

export interface ApiCaller {
  call<E extends EndpointName>(
    endpoint: E,
    body: EndpointRequest<E>,
  ): Promise<ApiResult<EndpointResponse<E>>>;
}

/** One request as it is sent: an endpoint and exactly its body (without merchantId). */
export type ApiRequest = { [E in EndpointName]: { endpoint: E; body: EndpointRequest<E> } }[EndpointName];

/** A request with the client's answer to it; narrowing on `endpoint` types the body and the answer. */
export type Exchange = {
  [E in EndpointName]: { endpoint: E; body: EndpointRequest<E>; result: ApiResult<EndpointResponse<E>> };
}[EndpointName];

/** Send one typed request. */
export async function exchange(client: ApiCaller, request: ApiRequest): Promise<Exchange> {
  switch (request.endpoint) {
    case 'createTemplate':
      return { ...request, result: await client.call(request.endpoint, request.body) };
    case 'updateTemplate':
      return { ...request, result: await client.call(request.endpoint, request.body) };
    case 'switchStatus':
      return { ...request, result: await client.call(request.endpoint, request.body) };
    case 'detail':
      return { ...request, result: await client.call(request.endpoint, request.body) };
    case 'updateBudget':
      return { ...request, result: await client.call(request.endpoint, request.body) };
    case 'createPass':
      return { ...request, result: await client.call(request.endpoint, request.body) };
    case 'updatePass':
      return { ...request, result: await client.call(request.endpoint, request.body) };
  }
}
