import { Controller, Get, Inject, Param, Res } from '@nestjs/common';
import type { ServerKeys } from '@openexp/server-keys';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/public.decorator';
import { SERVER_KEYS } from '../keys/server-keys.provider';
import { HostedService } from './hosted.service';

/** Public, read-only: libraries on managed hosts and the key users encrypt SFTP keys with. */
@Controller()
export class HostedController {
  constructor(
    private readonly hosted: HostedService,
    @Inject(SERVER_KEYS) private readonly keys: ServerKeys,
  ) {}

  @Public()
  @Get('hosted/*')
  async file(@Param('*') path: string, @Res() reply: FastifyReply): Promise<void> {
    await sendFile(reply, await this.hosted.open(path));
  }

  @Public()
  @Get('encryption_key')
  async encryptionKey(@Res() reply: FastifyReply): Promise<void> {
    await reply.status(200).header('content-type', 'application/pgp-keys; charset=utf-8').header('cache-control', 'public, max-age=300').send(this.keys.publicKeyArmored);
  }
}

async function sendFile(reply: FastifyReply, file: Awaited<ReturnType<HostedService['open']>>): Promise<void> {
  await reply
    .status(200)
    .header('content-type', file.contentType)
    .header('content-length', file.size)
    .header('cache-control', file.cacheControl)
    .header('access-control-allow-origin', '*')
    .send(file.stream);
}
