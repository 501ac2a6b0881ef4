import type { AuthContext } from '../auth/rights';
import type { CompanyRow } from '../database/schema';
import { iso, type Links, type ResourceObject } from '../jsonapi/document';

export function presentCompany(row: CompanyRow, links: Links, rights: readonly string[] = []): ResourceObject {
  return {
    id: row.id,
    type: 'companies',
    attributes: {
      name: row.name,
      org_id: row.org_id,
      token: row.token,
      cjm_enabled: false,
      edge_enabled: false,
      edge_events_allotment: 0,
      edge_fanout_ratio: 0,
      premium_cdn_enabled: false,
      sla_enabled: false,
      created_at: iso(row.created_at),
      updated_at: iso(row.updated_at),
    },
    relationships: { properties: links.toMany('companies', row.id, 'properties') },
    links: { self: links.self('companies', row.id), properties: links.related('companies', row.id, 'properties') },
    meta: { rights, platform_rights: { web: rights } },
  };
}

/** `GET /profile`: the token's user (`type: users`, id `UR…`). */
export function presentProfile(auth: AuthContext, company: CompanyRow, links: Links): ResourceObject {
  return {
    id: `UR${auth.tokenId.slice(2)}`,
    type: 'users',
    attributes: {
      display_name: auth.tokenName,
      name: auth.tokenName,
      email: null,
      tenant_id: company.org_id,
      created_at: iso(company.created_at),
      updated_at: iso(company.updated_at),
    },
    relationships: {},
    links: { self: `${links.base}/profile` },
    meta: { rights: [...auth.rights], companies: [{ id: company.id, org_id: company.org_id }] },
  };
}
