import type { StatusDetails } from '@openexp/errors';

declare const statusDetailsJson: unique symbol;

/**
 * The only value a `status_details`-like column (`status_details`, `republish_status_details`,
 * `refresh_status_details`) accepts on insert or update, besides `null`: a {@link StatusDetails}
 * (the `libs/errors` deferred shape, reactor-api.md §3.2) serialised by {@link statusDetailsColumn}.
 * The brand makes the schema refuse a hand-written `JSON.stringify(...)` at compile time, so the
 * column has one writer and is read back typed.
 */
export type StatusDetailsJson = string & { readonly [statusDetailsJson]: true };

/**
 * The one writer of deferred errors into the database: `null` clears the column, a
 * {@link StatusDetails} is stored as its JSON text (the driver stores it in the `jsonb` column).
 * It serialises only; building the errors stays with `toStatusDetails`.
 */
export function statusDetailsColumn(details: StatusDetails): StatusDetailsJson;
export function statusDetailsColumn(details: StatusDetails | null): StatusDetailsJson | null;
export function statusDetailsColumn(details: StatusDetails | null): StatusDetailsJson | null {
  return details === null ? null : (JSON.stringify(details) as StatusDetailsJson);
}
