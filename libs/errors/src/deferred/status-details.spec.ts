import { REACTOR_ERROR_CODES, REACTOR_ERRORS, isDeferrable } from '../reactor/reactor-codes';
import { assertValidStatusDetails, statusDetailsProblems, toStatusDetails } from './status-details';

const ids = () => {
  let n = 0;
  return () => `id-${++n}`;
};

describe('toStatusDetails', () => {
  it('builds the §3.2 shape with job meta and context under meta.context', () => {
    const details = toStatusDetails(
      [
        {
          code: 'sftp-authentication-failed',
          detail: 'All configured authentication methods failed for deploy@sftp.example.com:22',
        },
        {
          code: 'minification-error',
          detail: 'Unexpected token in custom code of rule component RC1.',
          context: { rule_component_id: 'RC1', line: 1, column: 9, excerpt: 'function(' },
        },
      ],
      { meta: { step: 'deploy', host_id: 'HT1', attempt: 1 }, newId: ids() },
    );
    expect(details).toEqual({
      errors: [
        {
          id: 'id-1',
          status: '500',
          code: 'sftp-authentication-failed',
          title: 'SFTP Authentication Failed',
          detail: 'All configured authentication methods failed for deploy@sftp.example.com:22',
          meta: { step: 'deploy', host_id: 'HT1', attempt: 1 },
        },
        {
          id: 'id-2',
          status: '422',
          code: 'minification-error',
          title: 'Minification Error',
          detail: 'Unexpected token in custom code of rule component RC1.',
          meta: {
            step: 'deploy',
            host_id: 'HT1',
            attempt: 1,
            context: { rule_component_id: 'RC1', line: 1, column: 9, excerpt: 'function(' },
          },
        },
      ],
    });
    expect(() => assertValidStatusDetails(details)).not.toThrow();
  });

  it.each(REACTOR_ERROR_CODES.filter(isDeferrable))('reports %s with its deferred status string', (code) => {
    const details = toStatusDetails([{ code, detail: 'x happened.' }]);
    expect(details.errors[0]).toMatchObject({ code, status: REACTOR_ERRORS[code].deferredStatus, title: REACTOR_ERRORS[code].title, meta: {} });
    expect(statusDetailsProblems(details)).toEqual([]);
  });

  it('survives a JSON round trip (it is stored in the database)', () => {
    const details = toStatusDetails([{ code: 'decrypt-failed', detail: 'Key is not for us.' }]);
    expect(JSON.parse(JSON.stringify(details))).toEqual(details);
  });
});

describe('statusDetailsProblems', () => {
  it('rejects immediate-only codes, HTTP statuses in place of deferred ones, and pointers', () => {
    const details = {
      errors: [
        { id: 'a', status: '404', code: 'not-found', title: 'Record Not Found', detail: 'x', meta: {} },
        { id: 'b', status: '422', code: 'timeout-error', title: 'Timeout Error', detail: 'x', meta: {} },
        { id: 'c', status: '422', code: 'decrypt-failed', title: 'Decrypt Failed', detail: 'x', meta: {}, source: { pointer: '/data' } },
      ],
    };
    expect(statusDetailsProblems(details)).toEqual([
      'status_details.errors[0].code: not-found is immediate-only and cannot be reported in status_details',
      'status_details.errors[1].status: must be "504" for deferred timeout-error',
      'status_details.errors[2].source: deferred errors have no request document',
    ]);
    expect(() => assertValidStatusDetails(details)).toThrow(/Invalid status_details/);
  });

  it.each([null, {}, { errors: [] }])('rejects %j', (details) => {
    expect(statusDetailsProblems(details)).toEqual(['status_details: must be an object with a non-empty errors array']);
  });
});
