import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { Auth } from '../auth/auth.decorator';
import type { AuthContext } from '../auth/rights';
import { LINKS } from '../jsonapi/links.provider';
import { list, single, type Links, type ListDocument, type SingleDocument } from '../jsonapi/document';
import { presentAuditEvent } from './audit.presenter';
import { AuditQueries } from './audit.queries';

@Controller()
export class AuditController {
  constructor(
    private readonly audit: AuditQueries,
    @Inject(LINKS) private readonly links: Links,
  ) {}

  @Get('audit_events')
  async list(@Auth() auth: AuthContext, @Query() query: unknown): Promise<ListDocument> {
    return list(await this.audit.list(auth, query), (e) => presentAuditEvent(e, this.links));
  }

  /** The related list the property's `audit_events` relationship links to. */
  @Get('properties/:id/audit_events')
  async forProperty(@Auth() auth: AuthContext, @Param('id') id: string, @Query() query: unknown): Promise<ListDocument> {
    return list(await this.audit.listForProperty(auth, id, query), (e) => presentAuditEvent(e, this.links));
  }

  @Get('audit_events/:id')
  async get(@Auth() auth: AuthContext, @Param('id') id: string): Promise<SingleDocument> {
    return single(presentAuditEvent(await this.audit.get(auth, id), this.links));
  }
}
