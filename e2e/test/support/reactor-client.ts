/**
 * A small HTTP client for the Reactor API with the headers real clients send (spec §1.2): bearer
 * token, `x-api-key`, JSON:API media type with `revision=1`. It returns status, headers and the
 * parsed body and never throws on a non-2xx answer: the tests assert on those.
 */
export interface JsonApiResource {
  id: string;
  type: string;
  attributes: Record<string, unknown>;
  relationships?: Record<string, { data?: unknown; links?: Record<string, string> }>;
  links?: Record<string, string>;
  meta?: Record<string, unknown>;
}

export interface JsonApiError {
  id?: string;
  status: string;
  code: string;
  title: string;
  detail?: string;
  source?: { pointer?: string };
  meta?: Record<string, unknown>;
}

export interface JsonApiDocument {
  data?: JsonApiResource | JsonApiResource[] | { id: string; type: string } | Array<{ id: string; type: string }> | null;
  errors?: JsonApiError[];
  meta?: Record<string, unknown>;
  links?: Record<string, string>;
}

export interface ApiResponse {
  status: number;
  contentType: string;
  body: JsonApiDocument;
  text: string;
}

export class ReactorClient {
  constructor(
    readonly baseUrl: string,
    private readonly token: string,
  ) {}

  async request(method: string, path: string, body?: unknown): Promise<ApiResponse> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.token}`,
      'x-api-key': 'Activation-DTM',
      accept: 'application/vnd.api+json;revision=1',
    };
    if (body !== undefined) {
      headers['content-type'] = 'application/vnd.api+json';
    }
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30000),
    });
    const text = await res.text();
    let parsed: JsonApiDocument = {};
    if (text.length > 0) {
      try {
        parsed = JSON.parse(text) as JsonApiDocument;
      } catch {
        parsed = {};
      }
    }
    return { status: res.status, contentType: res.headers.get('content-type') ?? '', body: parsed, text };
  }

  get(path: string): Promise<ApiResponse> {
    return this.request('GET', path);
  }

  post(path: string, body?: unknown): Promise<ApiResponse> {
    return this.request('POST', path, body);
  }

  patch(path: string, body: unknown): Promise<ApiResponse> {
    return this.request('PATCH', path, body);
  }

  /** The single resource of a 2xx answer; fails with the whole answer otherwise. */
  static resource(res: ApiResponse, expectedStatus: number): JsonApiResource {
    if (res.status !== expectedStatus || res.body.data === undefined || res.body.data === null || Array.isArray(res.body.data)) {
      throw new Error(`expected ${expectedStatus} with one resource, got ${res.status}: ${res.text.slice(0, 2000)}`);
    }
    return res.body.data as JsonApiResource;
  }

  /** The resource list of a 200 answer. */
  static list(res: ApiResponse): JsonApiResource[] {
    if (res.status !== 200 || !Array.isArray(res.body.data)) {
      throw new Error(`expected 200 with a list, got ${res.status}: ${res.text.slice(0, 2000)}`);
    }
    return res.body.data as JsonApiResource[];
  }
}
