import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { getQueueToken } from '@nestjs/bullmq';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { errorResponse, ReactorError } from '@openexp/errors';
import type { Queue } from 'bullmq';
import type { FastifyInstance, FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import { AuthService } from '../auth/auth.service';
import { JSON_API } from '../jsonapi/media-type';
import { ALL_QUEUES } from './internal-queues';

export const BULL_BOARD_PATH = '/admin/queues';

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Bull Board for operators at /admin/queues, behind the API's auth: a token with every right
 * (the bootstrap token, or one made with the CLI and `--rights all`).
 */
export async function mountBullBoard(app: NestFastifyApplication): Promise<void> {
  const auth = app.get(AuthService);
  const queues = ALL_QUEUES.map((name) => new BullMQAdapter(app.get<Queue>(getQueueToken(name)), { readOnlyMode: false }));
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(BULL_BOARD_PATH);
  // @bull-board/fastify pins its own copy of @bull-board/api; the adapter contract is the same at runtime.
  createBullBoard({ queues, serverAdapter: serverAdapter as unknown as Parameters<typeof createBullBoard>[0]['serverAdapter'] });
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  await fastify.register(
    (scope, _options, done) => {
      scope.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
        try {
          const context = await auth.authenticate({
            authorization: header(request, 'authorization'),
            apiKey: header(request, 'x-api-key') ?? 'bull-board',
            orgId: header(request, 'x-gw-ims-org-id'),
          });
          if (!context.isAdmin) {
            throw new ReactorError('not-authorized', 'The queue dashboard needs a token with every right.');
          }
        } catch (error) {
          const response = errorResponse(error, request.id);
          await reply.status(response.status).header('content-type', JSON_API).send(response.document);
        }
      });
      void scope.register(serverAdapter.registerPlugin() as unknown as FastifyPluginCallback, { prefix: BULL_BOARD_PATH });
      done();
    },
  );
}
