import { outboundUrlProblem } from './outbound-url';

describe('outbound URLs (callback targets, token endpoints)', () => {
  it('need https unless the operator allows http, a host, and no credentials', () => {
    expect(outboundUrlProblem('https://hooks.example.com/launch?k=1', false)).toBeNull();
    expect(outboundUrlProblem('http://127.0.0.1:8080/hook', false)).toBe('must be an https:// URL');
    expect(outboundUrlProblem('http://127.0.0.1:8080/hook', true)).toBeNull();
    expect(outboundUrlProblem('ftp://example.com', true)).toBe('must be an https:// or http:// URL');
    expect(outboundUrlProblem('/relative', false)).toBe('must be an absolute URL');
    expect(outboundUrlProblem('https://u:p@example.com', false)).toBe('must not contain a user name or password');
  });
});
