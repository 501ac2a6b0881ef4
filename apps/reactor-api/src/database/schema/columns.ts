import type { StatusDetails } from '@openexp/errors';
import type { ColumnType } from 'kysely';
import type { StatusDetailsJson } from '../status-details';

/*
 * Column types shared by the table types of every context. JSON columns are written as strings
 * (JSON.stringify) and read back parsed; the deferred-error columns (`status_details` and its kin)
 * accept only `statusDetailsColumn`'s output.
 */

export type Timestamp = ColumnType<Date, Date, Date>;
export type Json<T> = ColumnType<T, string, string>;
export type NullableJson<T> = ColumnType<T | null, string | null, string | null>;
/** Deferred errors (`meta.status_details`, §3.2): read as {@link StatusDetails}, written only through `statusDetailsColumn`. */
export type StatusDetailsColumn = ColumnType<StatusDetails | null, StatusDetailsJson | null, StatusDetailsJson | null>;
