import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard } from './auth.guard';
import { AuthRepository } from './auth.repository';
import { AuthService } from './auth.service';
import { BootstrapToken } from './bootstrap-token';

/**
 * Bearer tokens (§1.2): the guard on every route not marked `@Public()`, the token lookup and its
 * cache, the bootstrap token. Other contexts use only the decorators and rights (plain imports).
 */
@Module({
  providers: [AuthRepository, AuthService, BootstrapToken, { provide: APP_GUARD, useClass: AuthGuard }],
})
export class AuthModule {}
