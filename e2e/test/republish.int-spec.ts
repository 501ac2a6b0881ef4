import { errorDocumentProblems } from '@openexp/errors';
import { JSON_API, LibraryFlow, one } from './support/library-flow';
import type { JsonApiResource } from './support/reactor-client';
import { startReactorStack, type ReactorStack } from './support/stack';

/**
 * Republish (spec §2.6, §8 scenario 28) over HTTP against the built reactor-api and build-worker:
 * libraries A then B are published to the production environment of a managed host; B is what the
 * production embed URL serves; `PATCH /builds/{A's production build}` with `meta.action: republish`
 * answers 200 `republish_status: "pending"`, the worker repoints the current entries, and the
 * build reads `succeeded` once its result is applied: the embed URL then serves A's bytes again.
 * A development build cannot be republished (422, a JSON:API error document).
 */
let stack: ReactorStack;
let flow: LibraryFlow;
const s: Record<string, string> = {};
const builds: Record<string, JsonApiResource> = {};

beforeAll(async () => {
  stack = await startReactorStack();
  flow = new LibraryFlow(stack);
});

afterAll(async () => {
  await stack?.stop();
});

const fetchBytes = async (url: unknown): Promise<Buffer> => {
  const res = await fetch(String(url));
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
};
const republishBody = (id: string) => ({ data: { id, type: 'builds', meta: { action: 'republish' } } });

/** Builds `libraryId` on development, approves it and publishes it on production; returns both builds. */
async function publish(libraryId: string): Promise<{ development: JsonApiResource; production: JsonApiResource }> {
  const development = await flow.assignAndBuild(libraryId, s.development as string);
  await flow.transition(libraryId, 'approve', 'approved');
  const production = await flow.assignAndBuild(libraryId, s.production as string);
  expect(one(await flow.api.get(`/libraries/${libraryId}`), 200).attributes['state']).toBe('published');
  return { development, production };
}

describe('republishing a production build on a managed host, built apps end to end', () => {
  it('publishes library A, then library B, to production: the embed URL serves B', async () => {
    const property = await flow.webProperty('Republish property');
    s.property = property.id;
    s.host = await flow.managedHost(property.id);
    s.development = (await flow.environment(property.id, s.host, { name: 'Development', stage: 'development' })).id;
    s.production = (await flow.environment(property.id, s.host, { name: 'Production', stage: 'production' })).id;

    const ruleA = await flow.customCodeRule(property.id, property.coreHead, 'Release A', "window.__release = 'A';");
    const a = await publish(await flow.library(property.id, 'Library A', { extensions: [property.coreRevision], rules: [ruleA] }));
    const ruleB = await flow.customCodeRule(property.id, property.coreHead, 'Release B', "window.__release = 'B';");
    const b = await publish(await flow.library(property.id, 'Library B', { rules: [ruleB] }));
    Object.assign(builds, { aDevelopment: a.development, aProduction: a.production, bProduction: b.production });

    expect(a.production.meta?.['artifact_url']).toBe(b.production.meta?.['artifact_url']);
    expect(String(a.production.meta?.['artifact_url'])).toMatch(/\/launch-[0-9a-f]{12}\.min\.js$/);
    const bBytes = await fetchBytes(b.production.meta?.['direct_artifact_url']);
    const aBytes = await fetchBytes(a.production.meta?.['direct_artifact_url']);
    expect(aBytes.equals(bBytes)).toBe(false);
    expect(aBytes.toString('utf8')).toContain('window.__release="A"');
    expect(aBytes.toString('utf8')).not.toContain('window.__release="B"');
    expect((await fetchBytes(b.production.meta?.['artifact_url'])).equals(bBytes)).toBe(true);
  });

  it("republishes A's production build: 200 pending, then succeeded, and the embed URL serves A's bytes", async () => {
    const a = builds['aProduction'] as JsonApiResource;
    const res = await flow.api.patch(`/builds/${a.id}`, republishBody(a.id));
    const accepted = one(res, 200);
    expect(accepted.id).toBe(a.id);
    expect(accepted.meta?.['republish_status']).toBe('pending');
    expect(accepted.attributes['status']).toBe('succeeded');

    const settled = await flow.poll(`/builds/${a.id}`, (build) => build.meta?.['republish_status'] !== 'pending');
    if (settled.meta?.['republish_status'] !== 'succeeded') {
      flow.reportApps(`republish of ${a.id}: ${JSON.stringify(settled)}`);
    }
    expect({ republish: settled.meta?.['republish_status'], details: settled.meta?.['status_details'] ?? null }).toEqual({ republish: 'succeeded', details: null });

    const served = await fetchBytes(a.meta?.['artifact_url']);
    expect(served.equals(await fetchBytes(a.meta?.['direct_artifact_url']))).toBe(true);
    expect(served.toString('utf8')).toContain('window.__release="A"');
    // B's build directory is untouched: republish only moves the current entries.
    const b = builds['bProduction'] as JsonApiResource;
    expect((await fetchBytes(b.meta?.['direct_artifact_url'])).toString('utf8')).toContain('window.__release="B"');
  });

  it('refuses to republish a development build with 422 and a JSON:API error document', async () => {
    const dev = builds['aDevelopment'] as JsonApiResource;
    const body = republishBody(dev.id);
    const res = await flow.api.patch(`/builds/${dev.id}`, body);
    expect(res.status).toBe(422);
    expect(res.contentType).toMatch(JSON_API);
    expect(errorDocumentProblems(res.body, body)).toEqual([]);
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors?.[0]).toEqual(
      expect.objectContaining({ status: '422', code: 'invalid-action', title: 'Invalid Action', source: { pointer: '/data/meta/action' } }),
    );
    expect(res.body.errors?.[0]?.detail).toMatch(/production builds/);
    // Nothing changed: the build has no republish status, and production still serves A.
    const after = one(await flow.api.get(`/builds/${dev.id}`), 200);
    expect(after.meta).not.toHaveProperty('republish_status');
    const a = builds['aProduction'] as JsonApiResource;
    expect((await fetchBytes(a.meta?.['artifact_url'])).toString('utf8')).toContain('window.__release="A"');
  });
});
