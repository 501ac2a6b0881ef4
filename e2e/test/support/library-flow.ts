import { ReactorClient, type ApiResponse, type JsonApiResource } from './reactor-client';
import type { ReactorStack } from './stack';

/**
 * The steps of the publish flow (spec §8 scenarios 19, 26, 27) over HTTP, shared by the e2e specs:
 * revise, create an environment, assign it and build until the worker settles the build, move a
 * library through its states. Each step asserts what the spec promises, so a spec reads as the
 * story it tells.
 */
export const ID = (prefix: string): RegExp => new RegExp(`^${prefix}[0-9a-f]{32}$`);
export const JSON_API = /^application\/vnd\.api\+json/;

export const one = (res: ApiResponse, status: number): JsonApiResource => ReactorClient.resource(res, status);
export const rel = (type: string, id: string) => ({ data: { id, type } });

/** How long the worker may take to settle a build or a republish on this shared, busy machine. */
const SETTLE_MS = 240_000;

export class LibraryFlow {
  constructor(private readonly stack: ReactorStack) {}

  get api(): ReactorClient {
    return this.stack.client;
  }

  /** `meta.action: revise` → a new revision `revision_number: 1`. */
  async revise(type: string, id: string): Promise<JsonApiResource> {
    const revised = one(await this.api.patch(`/${type}/${id}`, { data: { id, type, attributes: {}, meta: { action: 'revise' } } }), 200);
    expect(revised.id).not.toBe(id);
    expect(revised.attributes['revision_number']).toBe(1);
    return revised;
  }

  /** Polls `GET path` until `done` holds (the worker's result applied), or the time is up. */
  async poll(path: string, done: (resource: JsonApiResource) => boolean): Promise<JsonApiResource> {
    const deadline = Date.now() + SETTLE_MS;
    for (;;) {
      const resource = one(await this.api.get(path), 200);
      if (done(resource) || Date.now() > deadline) {
        return resource;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  /** Polls the build until it leaves `pending` (the worker builds and deploys it). */
  settledBuild(id: string): Promise<JsonApiResource> {
    return this.poll(`/builds/${id}`, (build) => build.attributes['status'] !== 'pending');
  }

  /** `POST /properties/{id}/environments` on `hostId`, with any further attributes (archive, path …). */
  async environment(propertyId: string, hostId: string, attributes: { name: string; stage: string } & Record<string, unknown>): Promise<JsonApiResource> {
    const env = one(
      await this.api.post(`/properties/${propertyId}/environments`, { data: { type: 'environments', attributes, relationships: { host: rel('hosts', hostId) } } }),
      201,
    );
    expect(env.id).toMatch(ID('EN'));
    expect(env.attributes['stage']).toBe(attributes.stage);
    return env;
  }

  /** Assigns the environment to the library, posts a build and expects it to succeed. */
  async assignAndBuild(libraryId: string, environmentId: string): Promise<JsonApiResource> {
    const assigned = await this.api.patch(`/libraries/${libraryId}/relationships/environment`, { data: { id: environmentId, type: 'environments' } });
    expect(assigned.status).toBe(200);
    expect(assigned.body.data).toEqual({ id: environmentId, type: 'environments' });
    const created = one(await this.api.post(`/libraries/${libraryId}/builds`), 201);
    expect(created.id).toMatch(ID('BL'));
    expect(created.attributes['status']).toBe('pending');
    const build = await this.settledBuild(created.id);
    if (build.attributes['status'] !== 'succeeded') {
      this.reportApps(`build ${build.id}: ${JSON.stringify(build)}`);
    }
    expect({ status: build.attributes['status'], details: build.meta?.['status_details'] ?? null }).toEqual({ status: 'succeeded', details: null });
    return build;
  }

  /** `PATCH /libraries/{id}` with `meta.action` → the library in `state`. */
  async transition(libraryId: string, action: string, state: string): Promise<JsonApiResource> {
    const library = one(await this.api.patch(`/libraries/${libraryId}`, { data: { id: libraryId, type: 'libraries', meta: { action } } }), 200);
    expect(library.attributes['state']).toBe(state);
    return library;
  }

  /** A web property of the bootstrap company, with a revision of its `core` extension to put in libraries. */
  async webProperty(name: string): Promise<{ id: string; coreHead: string; coreRevision: string }> {
    const company = ReactorClient.list(await this.api.get('/companies'))[0]?.id as string;
    const property = one(
      await this.api.post(`/companies/${company}/properties`, { data: { type: 'properties', attributes: { name, platform: 'web', domains: ['example.com'] } } }),
      201,
    );
    const coreHead = ReactorClient.list(await this.api.get(`/properties/${property.id}/extensions?filter[name]=EQ%20core`))[0]?.id as string;
    return { id: property.id, coreHead, coreRevision: (await this.revise('extensions', coreHead)).id };
  }

  /** A managed (`akamai`) host: ready at once. */
  async managedHost(propertyId: string): Promise<string> {
    const host = one(await this.api.post(`/properties/${propertyId}/hosts`, { data: { type: 'hosts', attributes: { name: 'Managed', type_of: 'akamai' } } }), 201);
    expect(host.attributes['status']).toBe('succeeded');
    return host.id;
  }

  /** A rule "library loaded → custom code `source`", revised; returns the revision's id. */
  async customCodeRule(propertyId: string, coreHead: string, name: string, source: string): Promise<string> {
    const rule = one(await this.api.post(`/properties/${propertyId}/rules`, { data: { type: 'rules', attributes: { name } } }), 201);
    for (const [order, delegate, settings] of [
      [0, 'core::events::library-loaded', {}],
      [1, 'core::actions::custom-code', { source, language: 'javascript' }],
    ] as const) {
      one(
        await this.api.post(`/properties/${propertyId}/rule_components`, {
          data: {
            type: 'rule_components',
            attributes: { name: delegate, delegate_descriptor_id: delegate, settings: JSON.stringify(settings), order, rule_order: 50 },
            relationships: { extension: rel('extensions', coreHead), rules: { data: [{ id: rule.id, type: 'rules' }] } },
          },
        }),
        201,
      );
    }
    return (await this.revise('rules', rule.id)).id;
  }

  /** A development library holding these extension and rule revisions. */
  async library(propertyId: string, name: string, contents: { extensions?: string[]; rules?: string[] }): Promise<string> {
    const library = one(await this.api.post(`/properties/${propertyId}/libraries`, { data: { type: 'libraries', attributes: { name } } }), 201);
    for (const relationship of ['extensions', 'rules'] as const) {
      const ids = contents[relationship] ?? [];
      if (ids.length > 0) {
        const res = await this.api.post(`/libraries/${library.id}/relationships/${relationship}`, { data: ids.map((id) => ({ id, type: relationship })) });
        expect(res.status).toBe(200);
      }
    }
    return library.id;
  }

  /** The apps' last lines, which say why something did not settle as expected. */
  reportApps(context: string): void {
    process.stderr.write(`${context}\nbuild-worker:\n${this.stack.buildWorker.tail()}\nreactor-api:\n${this.stack.reactorApi.tail()}\n`);
  }
}
