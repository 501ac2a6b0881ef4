import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard } from './auth.guard';
import { AuthRepository } from './auth.repository';
import { AuthService } from './auth.service';
import { BootstrapToken } from './bootstrap-token';
import { ImsCredentialsRepository } from './ims-credentials.repository';
import { ImsTokenController } from './ims-token.controller';
import { ImsTokenService } from './ims-token.service';

/**
 * Bearer tokens (§1.2): the guard on every route not marked `@Public()`, the token lookup and its
 * cache, the bootstrap token, and the IMS-shaped OAuth2 token endpoint that issues such tokens to
 * client credentials (`POST /ims/token/v3`). Other contexts use only the decorators and rights
 * (plain imports).
 */
@Module({
  controllers: [ImsTokenController],
  providers: [AuthRepository, AuthService, BootstrapToken, ImsCredentialsRepository, ImsTokenService, { provide: APP_GUARD, useClass: AuthGuard }],
})
export class AuthModule {}
