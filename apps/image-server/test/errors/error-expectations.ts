/** Assertions shared by the error integration tests: the §5.6 body shapes and §5.7 headers. */
import { NO_STORE, type Reply } from './error-app';

/** `req=` formats of property requests. */
export const PROPERTY_FORMATS = ['text', 'javascript', 'xml', 'json'] as const;
export type PropertyFormatName = (typeof PROPERTY_FORMATS)[number];

const CONTENT_TYPES: Record<PropertyFormatName, string> = {
  text: 'text/plain; charset=UTF-8',
  javascript: 'text/javascript; charset=UTF-8',
  xml: 'text/xml; charset=UTF-8',
  json: 'text/javascript; charset=UTF-8',
};

const jsQuote = (s: string) => s.replace(/'/g, "''");
const xmlAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A non-cacheable error reply: status, content type, headers. */
export function expectErrorReply(reply: Reply, status: number, format: PropertyFormatName = 'text'): void {
  expect({ status: reply.status, type: reply.headers['content-type'] }).toEqual({ status, type: CONTENT_TYPES[format] });
  expect(reply.headers).toMatchObject(NO_STORE);
  expect(reply.headers.etag).toBeUndefined();
  expect(reply.headers['last-modified']).toBeUndefined();
}

/**
 * The body of an error in a format (§5.6) with a title and (level 2+) a message; at level 0/1 the
 * message equals the title.
 */
export function expectErrorBody(reply: Reply, format: PropertyFormatName, title: string, message: string = title, jsonpId = ''): void {
  switch (format) {
    case 'text':
      expect(reply.text).toBe(message === title ? title : `${title}\n${message}`);
      return;
    case 'javascript':
      expect(reply.text).toBe(`error.title='${jsQuote(title)}'\nerror.message='${jsQuote(message)}'\n`);
      return;
    case 'xml':
      expect(reply.text).toBe(
        [
          '<?xml version="1.0" encoding="UTF-8" ?>',
          '<prop-group>',
          '  <prop-group name="error">',
          `    <property name="title" value="${xmlAttr(title)}" />`,
          `    <property name="message" value="${xmlAttr(message)}" />`,
          '  </prop-group>',
          '</prop-group>',
          '',
        ].join('\n'),
      );
      return;
    case 'json':
      expect(reply.text).toBe(`/*jsonp*/s7jsonError(${JSON.stringify({ message, title })},${JSON.stringify(jsonpId)});`);
      return;
  }
}

/** Both of the above, at level 0/1. */
export function expectError(reply: Reply, status: number, format: PropertyFormatName, title: string, jsonpId = ''): void {
  expectErrorReply(reply, status, format);
  expectErrorBody(reply, format, title, title, jsonpId);
}

/** Nothing in a level-0 reply may reveal a path, a file name or an internal message. */
export function expectNothingRevealed(reply: Reply): void {
  expect(reply.text).not.toMatch(/\/srv|\/etc|\/work|\/tmp|images\/|\.jpe?g|\.png|\.ini|\.txt|at .+:\d+:\d+|Error:|ENOENT|sharp|vips/i);
}
