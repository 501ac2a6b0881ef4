import { percentDecode, type Catalog, type CatalogSet } from '@openexp/catalogs';

/** What can still be told about a request whose resolution failed (bad path, refused lock, bad obfuscation). */
export interface PreResolutionFacts {
  /** The catalog named by the first path element, else `default.ini` (§1.5 step 1): its ErrorDetail/ErrorImage apply. */
  catalog?: Catalog;
  /** `json` format: the `id=` of the raw query, to echo in `s7jsonError` (absent when the query is obfuscated). */
  jsonpId?: string;
}

/** The last `id=` of a raw query, %-decoded leniently; `undefined` when absent. */
export function sniffQueryId(rawQuery: string): string | undefined {
  let id: string | undefined;
  for (const part of rawQuery.split('&')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).toLowerCase() === 'id') {
      id = percentDecode(part.slice(eq + 1), 'lenient') ?? undefined;
    }
  }
  return id;
}

/**
 * Facts for the `FailureContext` of a request that failed before `resolveRequest` returned.
 * `snapshot` may throw (catalogs not loaded): then only the id is known.
 */
export function preResolutionFacts(pathSegments: readonly string[], rawQuery: string, json: boolean, snapshot: () => CatalogSet): PreResolutionFacts {
  const facts: PreResolutionFacts = {};
  if (json) {
    const id = sniffQueryId(rawQuery);
    if (id !== undefined) {
      facts.jsonpId = id;
    }
  }
  try {
    const set = snapshot();
    const first = pathSegments[0] === undefined ? undefined : percentDecode(pathSegments[0], 'lenient');
    const named = first === undefined || first === null ? undefined : set.catalog(first);
    facts.catalog = named ?? set.defaultCatalog;
  } catch {
    // No catalogs: the errors module falls back to its safe defaults.
  }
  return facts;
}
