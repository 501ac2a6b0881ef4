import { ReactorError, ReactorErrors } from '../reactor/reactor-error';
import { assertValidErrorDocument, errorDocumentProblems } from './error-document-check';
import { errorDocument, GENERIC_INTERNAL_DETAIL, toJsonApiError, type JsonApiErrorObject } from './error-object';
import { errorResponse } from './error-response';

const fixedId = () => '00000000-0000-4000-8000-000000000000';

describe('toJsonApiError', () => {
  it('serialises an occurrence with a string status, pointer and request id', () => {
    const err = new ReactorError('validation-error', 'domains is required for web properties.', {
      pointer: '/data/attributes/domains',
      meta: { request_id: 'spoofed', field: 'domains' },
    });
    expect(toJsonApiError(err, 'req-1', { newId: fixedId })).toEqual({
      id: '00000000-0000-4000-8000-000000000000',
      status: '422',
      code: 'validation-error',
      title: 'Validation Error',
      detail: 'domains is required for web properties.',
      source: { pointer: '/data/attributes/domains' },
      meta: { field: 'domains', request_id: 'req-1' },
    });
  });

  it('names a query parameter in source.parameter; a pointer wins over it', () => {
    const err = new ReactorError('invalid-parameter', 'page[number] must be at most 2147483647.', { parameter: 'page[number]' });
    const object = toJsonApiError(err, 'req-1', { newId: fixedId });
    expect(object).toMatchObject({ status: '400', code: 'invalid-parameter', title: 'Invalid Parameter', source: { parameter: 'page[number]' } });
    expect(errorDocumentProblems({ errors: [object] }, undefined)).toEqual([]);
    const both = new ReactorError('validation-error', 'x', { pointer: '/data', parameter: 'sort' });
    expect(toJsonApiError(both, 'r').source).toEqual({ pointer: '/data' });
  });

  it('omits source without a pointer and uses a fresh UUID per occurrence', () => {
    const err = new ReactorError('not-found', 'No property PR1 exists.');
    const a = toJsonApiError(err, 'r');
    const b = toJsonApiError(err, 'r');
    expect(a).not.toHaveProperty('source');
    expect(a.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a.id).not.toBe(b.id);
  });
});

describe('errorDocument', () => {
  it('wraps errors and refuses an empty list', () => {
    const e = toJsonApiError(new ReactorError('read-only', 'Akamai hosts cannot be modified.'), 'r', { newId: fixedId });
    expect(errorDocument([e])).toEqual({ errors: [e] });
    expect(() => errorDocument([])).toThrow(RangeError);
  });
});

describe('errorResponse', () => {
  it('answers a ReactorError with its own status', () => {
    const res = errorResponse(new ReactorError('environment-required', 'Library LB1 has no environment.'), 'req-9', { newId: fixedId });
    expect(res).toEqual({
      status: 422,
      document: {
        errors: [
          {
            id: fixedId(),
            status: '422',
            code: 'environment-required',
            title: 'Environment Required',
            detail: 'Library LB1 has no environment.',
            meta: { request_id: 'req-9' },
          },
        ],
      },
    });
  });

  it('answers several errors with the most general status', () => {
    const res = errorResponse(
      new ReactorErrors([new ReactorError('not-found', 'No host HT1.'), new ReactorError('validation-error', 'bad stage.')]),
      'r',
    );
    expect(res.status).toBe(400);
    expect(res.document.errors.map((e) => e.status)).toEqual(['404', '422']);
  });

  it.each([new Error('ECONNREFUSED 10.0.0.5:5432 password=hunter2'), 'a string', { weird: true }, undefined])(
    'never leaks an unknown error (%p)',
    (thrown) => {
      const res = errorResponse(thrown, 'req-2');
      expect(res.status).toBe(500);
      expect(res.document.errors).toHaveLength(1);
      expect(res.document.errors[0]).toMatchObject({ status: '500', code: 'internal-error', title: 'Internal Error', detail: GENERIC_INTERNAL_DETAIL });
      expect(JSON.stringify(res.document)).not.toMatch(/hunter2|ECONNREFUSED|weird|a string/);
    },
  );
});

describe('assertValidErrorDocument', () => {
  const request = { data: { type: 'properties', attributes: { name: 'P', platform: 'web' } } };
  const valid = (overrides: Partial<JsonApiErrorObject> = {}): JsonApiErrorObject => ({
    id: 'e1',
    status: '422',
    code: 'validation-error',
    title: 'Validation Error',
    detail: 'domains is required.',
    source: { pointer: '/data/attributes/domains' },
    meta: { request_id: 'r1' },
    ...overrides,
  });

  it('accepts a document produced by errorResponse', () => {
    const err = new ReactorError('validation-error', 'domains is required.', { pointer: '/data/attributes/domains' });
    expect(() => assertValidErrorDocument(errorResponse(err, 'r').document, request)).not.toThrow();
  });

  it('accepts a pointer to a missing member whose parent exists', () => {
    expect(errorDocumentProblems({ errors: [valid()] }, request)).toEqual([]);
  });

  it('reports every problem it finds', () => {
    const doc = {
      data: null,
      errors: [
        valid({ status: '400' }),
        valid({ code: 'no-such-code' as never }),
        valid({ title: 'Validation error' }),
        valid({ status: 422 as never, detail: '' }),
        valid({ source: { pointer: '/data/meta/action' } }),
        valid({ source: { pointer: 'data' } }),
        valid({ meta: { request_id: 'r2' } }),
        valid({ source: { parameter: '' } as never }),
      ],
    };
    expect(errorDocumentProblems(doc, request)).toEqual([
      'document: must not contain `data` next to `errors`',
      'errors[0].status: must be "422" for validation-error, got "400"',
      'errors[1].code: "no-such-code" is not in the Reactor error catalogue',
      'errors[2].title: must be "Validation Error" for validation-error',
      'errors[3].status: must be an HTTP status as a string, got 422',
      'errors[3].detail: must be a non-empty string',
      'errors[4].source.pointer: "/data/meta/action" does not resolve in the request document',
      'errors[5].source.pointer: "data" is not a valid JSON Pointer',
      'errors[7].source: must be an object with a string pointer or a non-empty string parameter',
      'document: all errors of one response must share meta.request_id',
    ]);
  });

  it('checks only pointer syntax without a request document, and rejects pointers when the request had no body', () => {
    const doc = { errors: [valid()] };
    expect(errorDocumentProblems(doc)).toEqual([]);
    expect(errorDocumentProblems(doc, undefined)).toEqual([
      'errors[0].source.pointer: "/data/attributes/domains" does not resolve in the request document',
    ]);
  });

  it.each([null, [], { errors: [] }, { errors: {} }])('rejects %j as a document', (doc) => {
    expect(() => assertValidErrorDocument(doc)).toThrow(/Invalid JSON:API error document/);
  });

  it('requires meta.request_id', () => {
    expect(errorDocumentProblems({ errors: [valid({ meta: {} })] })).toEqual(['errors[0].meta.request_id: must be a non-empty string']);
  });
});
