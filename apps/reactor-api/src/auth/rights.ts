import { ReactorError } from '@openexp/errors';

/** Rights a token can carry (§3.3 `not-authorized`). */
export const RIGHTS = ['develop', 'approve', 'publish', 'manage_environments', 'manage_extensions'] as const;
export type Right = (typeof RIGHTS)[number];

export function isRight(value: string): value is Right {
  return (RIGHTS as readonly string[]).includes(value);
}

/** Who is calling: resolved from the bearer token by the AuthGuard. */
export class AuthContext {
  constructor(
    readonly companyId: string,
    readonly orgId: string,
    readonly tokenId: string,
    readonly tokenName: string,
    readonly rights: ReadonlySet<Right>,
  ) {}

  has(right: Right): boolean {
    return this.rights.has(right);
  }

  /** Throws `not-authorized` (403) unless the token carries `right`. */
  require(right: Right, what: string): void {
    if (!this.rights.has(right)) {
      throw new ReactorError('not-authorized', `The "${right}" right is required to ${what}.`);
    }
  }

  /** Every right: operators' dashboard. */
  get isAdmin(): boolean {
    return RIGHTS.every((r) => this.rights.has(r));
  }
}
