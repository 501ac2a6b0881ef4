import { Injectable } from '@nestjs/common';
import { propertyDataLines, sourceFile, type CatalogRecord, type CatalogSet, type ResolvedRequest } from '@openexp/catalogs';
import { formatProperties, ImageServingError, type Property } from '@openexp/errors';
import { createHash } from 'node:crypto';
import { isAbsolute, relative } from 'node:path';
import { CatalogsService } from '../catalogs/catalogs.service';
import { ErrorResponder, type FailureContext, type PlainResponse } from '../errors';
import { preResolutionFacts } from '../errors/pre-resolution-context';
import type { CachePolicy } from '../http/cache-headers';
import { md5Etag, successResponse } from '../http/reply';
import { parseCache, parseReq, sniffReq, type PropertyFormat } from '../requests/request-type';
import { ContentFilesRepository, type OpenContentFile } from './content-files.repository';
import type { ContentHttpRequest } from './content-request';
import { contentKindOf } from './content-types';
import { fileReply, TEXT, type ContentResponse, type FileFacts } from './file-reply';
import { StaticCatalogsRepository } from './static-catalogs.repository';

/** What `/is/content` answers (§2.4): the file itself, or `req=props|userdata|exists`. */
type ContentReq = { readonly type: 'file' } | { readonly type: 'props' | 'userdata' | 'exists'; readonly format: PropertyFormat };

interface ContentScope {
  readonly http: ContentHttpRequest;
  readonly resolved: ResolvedRequest;
  /** What the path names for static content (a `StaticContentCatalogFile` record first). */
  readonly item: ContentItem;
  readonly now: Date;
}

/** The object of a content request: a static content record, an image record, a path, or nothing. */
interface ContentItem {
  readonly kind: 'record' | 'path' | 'none';
  /** Record id, or the path as looked up. */
  readonly id: string;
  readonly record: CatalogRecord | null;
  /** Absolute file, inside the roots; `null` for `none` and records without `Path`. */
  readonly filePath: string | null;
  /** What error messages show (`ErrorDetail=2`): relative to `IS_ROOT_PATH` when inside it. */
  readonly displayPath: string | null;
  /** TTL in hours: the record's `Expiration`, else a static rule's, else `attribute::Expiration`. */
  readonly expirationHours: number;
}

/**
 * Static content at `/is/content/{catalog}/{item}` (image-serving.md §2.4): catalog records and
 * path objects resolved exactly like `/is/image` objects (§1.5: RootId, records backed by the
 * default catalog, FullMatch, DefaultExt, RequestLock/Obfuscation) and guarded by the same root
 * checks (unsafe path elements refused while decoding, the joined path and the file's real path
 * inside the roots). Commands: `type=` (must equal the record's `UserType`), `req=props|userdata|
 * exists`, `cache=`; others are ignored. The catalog's rule set runs first, with its
 * `RequestType="static"` rules (a rule's `Expiration` overrides the attribute, not a record's).
 * Failures go to the {@link ErrorResponder} as text (or the `req=` format): static content never
 * gets a default or error image (§5.5 limits them to `req=img|tmb`).
 */
@Injectable()
export class ContentService {
  constructor(
    private readonly catalogs: CatalogsService,
    private readonly files: ContentFilesRepository,
    private readonly statics: StaticCatalogsRepository,
    private readonly errors: ErrorResponder,
  ) {}

  async handle(http: ContentHttpRequest): Promise<ContentResponse> {
    const now = new Date();
    let resolved: ResolvedRequest | undefined;
    try {
      resolved = this.catalogs.resolve({ pathSegments: http.pathSegments, rawQuery: http.rawQuery, requestType: 'static' });
      const req = parseContentReq(resolved.value('req'));
      const scope: ContentScope = { http, resolved, item: await this.item(resolved), now };
      if (req.type === 'exists') {
        return this.properties(scope, req.format, [['catalogRecord.exists', scope.item.kind === 'record' ? '1' : '0']], resolved.attributes.nonImgExpiration);
      }
      checkUserType(resolved, scope.item);
      switch (req.type) {
        case 'file':
          return await this.file(scope);
        case 'props':
          return await this.props(scope, req.format);
        case 'userdata':
          return this.userData(scope, req.format);
      }
    } catch (error) {
      return this.errors.respond(error, failureContext(http, resolved, () => this.catalogs.snapshot()));
    }
  }

  /**
   * The item a content request names: the `StaticContentCatalogFile` record with the object's id
   * in the main catalog, else in the default catalog (which backs every catalog, §1.5), else what
   * the image resolution found (an image record, a path object, or nothing).
   */
  private async item(resolved: ResolvedRequest): Promise<ContentItem> {
    const o = resolved.object;
    const fromRules = resolved.rules.expiration ?? resolved.attributes.expiration;
    if (o.kind !== 'none') {
      const catalogs = resolved.selectedCatalog.isDefault ? [resolved.selectedCatalog] : [resolved.selectedCatalog, resolved.defaultCatalog];
      for (const catalog of catalogs) {
        const record = (await this.statics.records(catalog)).get(o.id);
        if (record !== undefined) {
          const filePath = record.path === null ? null : sourceFile(record.path, catalog, resolved.catalogs);
          const displayPath = filePath === null ? null : displayOf(filePath, resolved.catalogs.isRootPath);
          return { kind: 'record', id: record.id, record, filePath, displayPath, expirationHours: record.expiration ?? fromRules };
        }
      }
    }
    return { kind: o.kind, id: o.id, record: o.record, filePath: o.filePath, displayPath: o.displayPath, expirationHours: o.record?.expiration ?? fromRules };
  }

  /** The item's file, open; `IMG_NOT_FOUND` without one, `IMG_REQUEST_REFUSED` when its real path leaves the roots. */
  private openItem({ resolved, item }: ContentScope): Promise<OpenContentFile> {
    if (item.kind === 'none' || item.filePath === null) {
      throw new ImageServingError('IMG_NOT_FOUND', item.kind === 'none' ? 'the request names no content item' : `record ${item.id} has no file`, { path: item.id });
    }
    return this.files.open(item.filePath, item.displayPath ?? item.id, (realPath) => resolved.assertInsideRoot(realPath));
  }

  /** The file: 200, 206 for one satisfiable range, 416, 304; HEAD without body. */
  private async file(scope: ContentScope): Promise<ContentResponse> {
    const { http, resolved, item, now } = scope;
    const file = await this.openItem(scope);
    let streaming = false;
    try {
      const facts: FileFacts = {
        etag: await this.etagOf(file),
        lastModified: lastModifiedOf(file, item),
        cache: this.policy(resolved, item.expirationHours),
        kind: contentKindOf(item.filePath ?? file.realPath),
      };
      const reply = fileReply(http, file, facts, now);
      streaming = reply.streams;
      return reply.response;
    } finally {
      if (!streaming) {
        await file.close();
      }
    }
  }

  /**
   * The quoted MD5 of the file (image-serving.md §6: the ETag is the MD5 of the data), or for a
   * file over `CONTENT_MD5_MAX_BYTES` a strong validator of its version (path, mtime, size, inode).
   */
  private async etagOf(file: OpenContentFile): Promise<string> {
    const md5 = this.files.md5(file);
    if (md5 !== null) {
      return `"${await md5}"`;
    }
    return `"v-${createHash('md5').update(file.version).digest('hex')}"`;
  }

  /** `req=props`: the item's path, length, TTL, modification time and UserType (§2.4); NonImgExpiration. */
  private async props(scope: ContentScope, format: PropertyFormat): Promise<PlainResponse> {
    const { resolved, item } = scope;
    const file = await this.openItem(scope);
    try {
      const props: Property[] = [
        ['content.path', item.record?.path ?? item.id],
        ['content.length', String(file.size)],
        ['content.expiration', String(item.expirationHours)],
        ['content.lastModified', String(lastModifiedOf(file, item).getTime())],
        ['content.userType', item.record?.userType ?? ''],
      ];
      return this.properties(scope, format, props, resolved.attributes.nonImgExpiration);
    } finally {
      await file.close();
    }
  }

  /** `req=userdata`: `catalog::UserData` (§2.3), as for images; a bare CRLF without a record. */
  private userData(scope: ContentScope, format: PropertyFormat): PlainResponse {
    const record = scope.item.record;
    const lines = record === null ? [] : propertyDataLines(record, 'userData');
    const ttl = scope.item.expirationHours;
    if (format === 'text') {
      return this.reply(scope, TEXT, lines.map((l) => `${l}\r\n`).join('') || '\r\n', this.policy(scope.resolved, ttl));
    }
    const props = lines.map((l): Property => {
      const eq = l.indexOf('=');
      return eq < 0 ? [l, ''] : [l.slice(0, eq), l.slice(eq + 1)];
    });
    return this.properties(scope, format, props, ttl);
  }

  private policy(resolved: ResolvedRequest, ttlHours: number): CachePolicy {
    return { ttlHours, client: parseCache(resolved.value('cache')).client };
  }

  private properties(scope: ContentScope, format: PropertyFormat, props: readonly Property[], ttlHours: number): PlainResponse {
    const handler = scope.resolved.value('handler');
    const { contentType, body } = formatProperties(props, format, { requestId: scope.resolved.value('id') ?? '', ...(handler ? { handler } : {}), date: scope.now });
    return this.reply(scope, contentType, body, this.policy(scope.resolved, ttlHours));
  }

  private reply(scope: ContentScope, contentType: string, body: string, cache: CachePolicy): PlainResponse {
    return successResponse({ contentType, body, cache }, { method: scope.http.method, conditionals: scope.http.conditionals, now: scope.now }, md5Etag);
  }
}

/** `filePath` relative to `IS_ROOT_PATH` when inside it (what `ErrorDetail=2` shows), else as is. */
function displayOf(filePath: string, isRootPath: string): string {
  const rel = relative(isRootPath, filePath);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : filePath;
}

/** `Last-Modified` of static content, always sent (§2.4): the file's mtime, or the record's `TimeStamp` when later. */
function lastModifiedOf(file: OpenContentFile, item: ContentItem): Date {
  const ms = Math.max(file.mtimeMs, item.record?.timeStamp ?? 0);
  return new Date(Math.floor(ms / 1000) * 1000);
}

/**
 * `type=` (§2.4): when given and not empty, it must equal the record's `UserType` (compared
 * without regard to case, like command keywords); a path object has no UserType, so any `type=`
 * refuses it. `IMG_TYPE_MISMATCH` otherwise.
 */
function checkUserType(resolved: ResolvedRequest, item: ContentItem): void {
  const wanted = resolved.value('type');
  if (wanted === undefined || wanted === '') {
    return;
  }
  const userType = item.record?.userType ?? null;
  if (userType === null || userType.toLowerCase() !== wanted.toLowerCase()) {
    throw new ImageServingError('IMG_TYPE_MISMATCH', `type=${wanted} does not match the item's UserType (${userType ?? 'none'})`, { command: 'type', value: wanted });
  }
}

/** `req=` of `/is/content`: none (the file), or `props`, `userdata`, `exists` with their formats (§2.4). */
function parseContentReq(value: string | undefined): ContentReq {
  if (value === undefined || value === '') {
    return { type: 'file' };
  }
  const spec = parseReq(value);
  if ((spec.type === 'props' || spec.type === 'userdata' || spec.type === 'exists') && spec.format !== 'image') {
    return { type: spec.type, format: spec.format };
  }
  throw new ImageServingError('IMG_UNSUPPORTED_REQUEST', `req=${value}: /is/content answers req=props, req=userdata and req=exists only`, { command: 'req', value });
}

/**
 * What the errors module needs to answer a failed content request: text, or the format `req=`
 * asked for (even a type `/is/content` does not answer, so a viewer gets its `s7jsonError`); never
 * an image, so no default or error image (§5.5).
 */
function failureContext(http: ContentHttpRequest, resolved: ResolvedRequest | undefined, snapshot: () => CatalogSet): FailureContext {
  let spec = sniffReq(http.rawQuery);
  if (resolved !== undefined) {
    try {
      spec = parseReq(resolved.value('req'));
    } catch {
      // The req= value itself is the failure: keep the format sniffed from the raw query.
    }
  }
  const file = spec.format === 'image';
  const ctx: FailureContext = {
    requestId: http.requestId,
    reqType: file ? 'content' : spec.type,
    format: file ? 'text' : spec.format,
    method: http.method,
  };
  const json = ctx.format === 'json';
  if (resolved === undefined) {
    return { ...ctx, ...preResolutionFacts(http.pathSegments, http.rawQuery, json, snapshot) };
  }
  ctx.catalog = resolved.catalog;
  const id = resolved.value('id');
  if (json && id !== undefined) {
    ctx.jsonpId = id;
  }
  return ctx;
}
