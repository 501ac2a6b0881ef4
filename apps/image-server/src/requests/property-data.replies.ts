import { propertyDataLines } from '@openexp/catalogs';
import type { Property } from '@openexp/errors';
import type { PlainResponse } from '../errors';
import { plainReply, propertiesReply, replyPolicy, TEXT_PLAIN } from './property-reply';
import { imageTtlHours, type RequestScope } from './request-context';
import type { PropertyFormat } from './request-type';

/**
 * `req=userdata` and `req=targets` (image-serving.md §2, §2.3): the record's `UserData` or
 * `Targets` property data. text: one `name=value` per CRLF line and a trailing CRLF (`??` is a
 * line break unless the field was quoted), a bare CRLF when there is no record or no data;
 * xml/json: the pairs as properties (xml in the encoding `req=<type>,xml,<enc>` names). Other
 * commands are ignored; the TTL is the image TTL (record `Expiration`, else `attribute::Expiration`).
 */
export function propertyDataReply(scope: RequestScope, format: PropertyFormat, field: 'userData' | 'targets'): PlainResponse {
  const { resolved } = scope;
  const record = resolved.object.record;
  const lines = record === null ? [] : propertyDataLines(record, field);
  const ttl = imageTtlHours(resolved);
  if (format === 'text') {
    return plainReply(scope, TEXT_PLAIN, lines.map((l) => `${l}\r\n`).join('') || '\r\n', replyPolicy(scope, ttl));
  }
  const props = lines.map((l): Property => {
    const eq = l.indexOf('=');
    return eq < 0 ? [l, ''] : [l.slice(0, eq), l.slice(eq + 1)];
  });
  return propertiesReply(scope, format, props, ttl);
}

/** Property name of the `ImageSet` value in the javascript, xml and json forms of `req=imageset`. */
export const IMAGE_SET_PROPERTY = 'catalogRecord.imageSet';

/**
 * `req=imageset` (§2): the record's `ImageSet` exactly as written. text: the value and a CRLF, a
 * bare CRLF when the path names no record (or the record has no set); javascript/xml/json: one
 * property, {@link IMAGE_SET_PROPERTY} (empty when there is no set; Adobe documents no key for
 * these forms, so the name follows `catalogRecord.exists`). Other commands are ignored (also
 * `imageSet=`, which belongs to `req=set`); the TTL is `NonImgExpiration`.
 */
export function imageSetReply(scope: RequestScope, format: PropertyFormat): PlainResponse {
  const { resolved } = scope;
  const set = resolved.object.record?.imageSet ?? '';
  const ttl = resolved.attributes.nonImgExpiration;
  if (format === 'text') {
    return plainReply(scope, TEXT_PLAIN, `${set}\r\n`, replyPolicy(scope, ttl));
  }
  return propertiesReply(scope, format, [[IMAGE_SET_PROPERTY, set]], ttl);
}
