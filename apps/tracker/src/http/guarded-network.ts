import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { CanonicalPostback, AdapterRequest } from '@postwire/plugin-sdk';
import type { ClickContext, Network } from '@postwire/persistence';
import type { FastifyRequest } from 'fastify';

/**
 * Where the postback guard leaves what it resolved, declared on the request in `installPublicTrafficHook`
 * (as the client address is), so the key strategy and the handler reuse it instead of looking it up again.
 */
export const GUARDED_NETWORK = 'postwireGuardedNetwork';

/** The bare `/postback` as the guard read it: the request, its loggable parameters and the generic adapter's postbacks. */
export interface GenericPostbackRead {
  request: AdapterRequest;
  logged: Record<string, unknown>;
  postbacks: CanonicalPostback[];
}

/**
 * What the postback guard found. `network` is `null` when no network is known: an unknown one in the
 * path (the handler's 404), or a bare `/postback` whose click id is missing, unreadable or unknown.
 * `generic` is set on a bare `/postback` the guard could read and parse; one it could not is read again
 * by the handler, which answers the same 400.
 */
export interface GuardedNetwork {
  network: Network | null;
  generic?: GenericPostbackRead;
  /** On a bare `/postback`: the click the guard found the network by, handed to the recorder so it is not read again. */
  clickContext?: ClickContext;
}

type RequestWithGuarded = FastifyRequest & { [GUARDED_NETWORK]?: GuardedNetwork | null };

/** Records what the guard resolved for this request. */
export function setGuardedNetwork(req: FastifyRequest, guarded: GuardedNetwork): void {
  (req as RequestWithGuarded)[GUARDED_NETWORK] = guarded;
}

/** What the guard resolved for this request; `undefined` when no postback guard ran on it. */
export function guardedNetworkOf(req: FastifyRequest): GuardedNetwork | undefined {
  return (req as RequestWithGuarded)[GUARDED_NETWORK] ?? undefined;
}

/** The handler's parameter for what `PostbackGuard` resolved; only valid on routes that guard uses. */
export const GuardedNetwork = createParamDecorator((_data: unknown, ctx: ExecutionContext): GuardedNetwork => {
  const guarded = guardedNetworkOf(ctx.switchToHttp().getRequest<FastifyRequest>());
  // A route using this without PostbackGuard is a wiring bug, not traffic.
  if (!guarded) throw new Error('@GuardedNetwork() used on a route without PostbackGuard');
  return guarded;
});
