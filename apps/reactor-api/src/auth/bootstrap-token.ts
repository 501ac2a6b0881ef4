import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { ROOT_LOGGER } from '@openexp/service-runtime';
import type { Logger } from 'pino';
import { REACTOR_API_CONFIG, type ReactorApiConfig } from '../config/reactor-api.config';
import { AuthRepository } from './auth.repository';
import { RIGHTS } from './rights';

/** `REACTOR_BOOTSTRAP_TOKEN` + `REACTOR_BOOTSTRAP_ORG`: the company and an every-right token exist after start-up. */
@Injectable()
export class BootstrapToken implements OnModuleInit {
  constructor(
    @Inject(REACTOR_API_CONFIG) private readonly config: ReactorApiConfig,
    private readonly repository: AuthRepository,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  async onModuleInit(): Promise<void> {
    const bootstrap = this.config.bootstrap;
    if (bootstrap === undefined) {
      return;
    }
    const company = await this.repository.ensureCompany(bootstrap.org);
    await this.repository.saveToken(company.id, bootstrap.token, 'bootstrap', RIGHTS, null);
    this.logger.info({ companyId: company.id, orgId: company.org_id }, 'bootstrap company and token ensured');
  }
}
