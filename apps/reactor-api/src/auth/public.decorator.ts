import { SetMetadata } from '@nestjs/common';

export const PUBLIC_ROUTE = 'reactor:public-route';

/** Marks a route as reachable without a token (health, hosted libraries, the public key). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);
