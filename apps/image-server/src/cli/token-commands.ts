import type { ApiRedis } from '../management/api-redis';
import { newApiToken } from '../management/auth/api-token';
import { ApiTokensRepository } from '../management/auth/api-tokens.repository';

/** `token create|list|revoke`: prints one JSON line per result; returns the exit code. */
export async function tokenCommand(verb: string, redis: ApiRedis, values: { name?: string | undefined; catalogs?: string | undefined; id?: string | undefined }, out: (line: string) => void): Promise<number> {
  const tokens = new ApiTokensRepository(redis);
  if (verb === 'create') {
    const catalogs = (values.catalogs ?? '').split(',').map((c) => c.trim()).filter((c) => c !== '');
    if (catalogs.length === 0) {
      out(JSON.stringify({ error: 'give --catalogs <rootId,...> (or "*" for every catalog)' }));
      return 2;
    }
    const { token, stored } = newApiToken(values.name ?? 'cli', catalogs);
    await tokens.save(stored);
    out(JSON.stringify({ token, token_id: stored.id, name: stored.name, catalogs: stored.catalogs, created_at: stored.createdAt }));
    return 0;
  }
  if (verb === 'list') {
    for (const t of await tokens.list()) {
      out(JSON.stringify({ token_id: t.id, name: t.name, catalogs: t.catalogs, created_at: t.createdAt }));
    }
    return 0;
  }
  if (verb === 'revoke' && values.id !== undefined) {
    const revoked = await tokens.revoke(values.id);
    out(JSON.stringify({ token_id: values.id, revoked }));
    return revoked ? 0 : 1;
  }
  out(JSON.stringify({ error: `unknown token command "${verb}"` }));
  return 2;
}
