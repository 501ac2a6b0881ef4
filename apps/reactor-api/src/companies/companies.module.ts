import { Module } from '@nestjs/common';
import { ScopeModule } from '../common/scope.module';
import { CompaniesController } from './companies.controller';
import { CompaniesRepository } from './companies.repository';
import { CompaniesService } from './companies.service';

/** `/companies`: the caller's company. */
@Module({
  imports: [ScopeModule],
  controllers: [CompaniesController],
  providers: [CompaniesRepository, CompaniesService],
})
export class CompaniesModule {}
