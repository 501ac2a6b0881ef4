import { credentialSchemas } from './secrets.dto';

const keyFile = (extra: Record<string, unknown>) =>
  JSON.stringify({ client_email: 'tags@project.iam.gserviceaccount.com', private_key: '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n', ...extra });

describe('secret credentials: token endpoints', () => {
  it("a Google key file's token_uri follows the same https rule as every token_url", () => {
    const strict = credentialSchemas(false)['oauth2-google'];
    expect(strict.safeParse({ scopes: ['a'], key_file_json: keyFile({}) }).success).toBe(true);
    expect(strict.safeParse({ scopes: ['a'], key_file_json: keyFile({ token_uri: 'https://oauth2.googleapis.com/token' }) }).success).toBe(true);
    const internal = strict.safeParse({ scopes: ['a'], key_file_json: keyFile({ token_uri: 'http://169.254.169.254/token' }) });
    expect(internal.success).toBe(false);
    expect(internal.error?.issues[0]).toMatchObject({ path: ['key_file_json'], message: 'token_uri must be an https:// URL' });
    expect(credentialSchemas(true)['oauth2-google'].safeParse({ scopes: ['a'], key_file_json: keyFile({ token_uri: 'http://127.0.0.1:9/token' }) }).success).toBe(true);
  });

  it('token_url of the other oauth2 types is refused over http unless allowed', () => {
    const body = { client_id: 'c', client_secret: 's', token_url: 'http://auth.example/token' };
    expect(credentialSchemas(false)['oauth2-client_credentials'].safeParse(body).error?.issues[0]?.message).toBe('must be an https:// URL');
    expect(credentialSchemas(true)['oauth2-client_credentials'].safeParse(body).success).toBe(true);
  });
});
