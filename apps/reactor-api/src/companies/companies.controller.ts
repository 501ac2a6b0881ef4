import { Controller, Get, Header, Inject, Param, Query } from '@nestjs/common';
import { Auth } from '../auth/auth.decorator';
import { Public } from '../auth/public.decorator';
import type { AuthContext } from '../auth/rights';
import { LINKS } from '../jsonapi/links.provider';
import { list, single, type Links, type ListDocument, type SingleDocument } from '../jsonapi/document';
import { presentCompany, presentProfile } from './companies.presenter';
import { CompaniesService } from './companies.service';

@Controller()
export class CompaniesController {
  constructor(
    private readonly companies: CompaniesService,
    @Inject(LINKS) private readonly links: Links,
  ) {}

  @Get('companies')
  async list(@Auth() auth: AuthContext, @Query() query: unknown): Promise<ListDocument> {
    return list(await this.companies.list(auth, query), (c) => presentCompany(c, this.links, [...auth.rights]));
  }

  @Get('companies/:id')
  async get(@Auth() auth: AuthContext, @Param('id') id: string): Promise<SingleDocument> {
    return single(presentCompany(await this.companies.get(auth, id), this.links, [...auth.rights]));
  }

  @Get('profile')
  async profile(@Auth() auth: AuthContext): Promise<SingleDocument> {
    return single(presentProfile(auth, await this.companies.get(auth, auth.companyId), this.links));
  }

  /** SDK `heartbeat`: an empty, non-JSON 200. */
  @Public()
  @Get('heartbeat')
  @Header('content-type', 'text/plain; charset=utf-8')
  @Header('cache-control', 'no-store')
  heartbeat(): string {
    return '';
  }
}
