import { Inject, Injectable } from '@nestjs/common';
import type { AuthContext } from '../auth/rights';
import { ScopeRepository } from '../common/scope.repository';
import { presentExtensionPackage } from '../extension-packages/extension-packages.presenter';
import { ExtensionPackagesService } from '../extension-packages/extension-packages.service';
import { LINKS } from '../jsonapi/links.provider';
import { list, single, type Links, type ListDocument, type SingleDocument } from '../jsonapi/document';
import { presentProperty } from '../properties/properties.presenter';
import { presentRevisioned } from './revisioned.presenter';
import { RevisionedService } from './revisioned.service';
import type { RevisionedType } from './revisioned.types';

/**
 * Related-resource documents of extensions, data elements, rules and rule components. The
 * libraries holding one (`/{type}/{id}/libraries`) are the libraries context's (LibraryLinksController).
 */
@Injectable()
export class RevisionedRelated {
  constructor(
    @Inject(LINKS) private readonly links: Links,
    private readonly scope: ScopeRepository,
    private readonly service: RevisionedService,
    private readonly packages: ExtensionPackagesService,
  ) {}

  async of(auth: AuthContext, type: RevisionedType, id: string, relationship: string, query: unknown): Promise<SingleDocument | ListDocument | { data: null }> {
    if (relationship === 'rules') {
      return list(await this.service.rulesOf(auth, id, query), (r) => presentRevisioned(r, this.links));
    }
    const row = await this.service.get(auth, type, id);
    switch (relationship) {
      case 'property':
        return single(presentProperty(await this.scope.property(auth.companyId, row.property_id), this.links, [...auth.rights]));
      case 'extension':
        return row.extension_id === null ? { data: null } : single(presentRevisioned(await this.service.get(auth, 'extensions', row.extension_id), this.links));
      case 'extension_package':
        return single(presentExtensionPackage(await this.packages.get(auth, row.extension_package_id ?? ''), this.links));
      default:
        return { data: null };
    }
  }
}
