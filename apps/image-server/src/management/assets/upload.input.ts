import { ReactorError, ReactorErrors } from '@openexp/errors';
import type { FastifyRequest } from 'fastify';
import { StagingRepository, type StagedFile } from './staging.repository';
import { assetIdProblem, collectRecordFields } from './record-fields';
import type { AssetRecordFields } from '@openexp/queue-contracts';

/** An upload read from a multipart body: the staged file and the form fields. */
export interface UploadInput {
  file: StagedFile;
  originalName: string | null;
  /** The `id` form field (uploads name the asset there; a replace names it in the path). */
  id: string | undefined;
  record: AssetRecordFields;
}

const FILE_FIELD = 'file';

/**
 * Reads an upload: `multipart/form-data` with the image in the field `file` (streamed to the
 * staging folder as it arrives) and record fields as text fields (`id`, `Modifier`, …). Any
 * problem removes the staged file and answers 415 (not multipart), 413 (over the limit) or 422.
 */
export async function readUpload(request: FastifyRequest, staging: StagingRepository, stagingKey: string): Promise<UploadInput> {
  if (!request.isMultipart()) {
    throw new ReactorError('unsupported-media-type', `Upload as multipart/form-data with the image in the field "${FILE_FIELD}".`);
  }
  const fields: [string, string][] = [];
  let file: StagedFile | undefined;
  let originalName: string | null = null;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== FILE_FIELD || file !== undefined) {
          part.file.resume();
          throw new ReactorError('validation-error', `Send exactly one file, in the field "${FILE_FIELD}".`, { pointer: `/${part.fieldname}` });
        }
        file = await staging.write(stagingKey, part.file);
        originalName = part.filename === '' ? null : part.filename;
      } else {
        fields.push([part.fieldname, typeof part.value === 'string' ? part.value : String(part.value)]);
      }
    }
    if (file === undefined) {
      throw new ReactorError('validation-error', `The multipart body needs the image in the field "${FILE_FIELD}".`, { pointer: `/${FILE_FIELD}` });
    }
    if (file.bytes === 0) {
      throw new ReactorError('validation-error', 'The uploaded file is empty.', { pointer: `/${FILE_FIELD}` });
    }
    return { file, originalName, ...uploadFields(fields) };
  } catch (error) {
    await staging.remove(stagingKey);
    throw multipartError(error);
  }
}

const LIMIT_CODES = new Set(['FST_FIELDS_LIMIT', 'FST_PARTS_LIMIT', 'FST_FILES_LIMIT']);

/**
 * The caller's error for a multipart body that cannot be read: too many parts is 413, a body
 * busboy cannot parse (no boundary, truncated, malformed headers) 400 `invalid-document`. File
 * system errors of the staging folder (`ENOSPC`, `EACCES` …) stay ours (500), and an upload over
 * the size limit is left to the exception filter (413 naming the limit).
 */
export function multipartError(error: unknown): unknown {
  if (error instanceof ReactorError || error instanceof ReactorErrors || !(error instanceof Error)) {
    return error;
  }
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && LIMIT_CODES.has(code)) {
    return new ReactorError('payload-too-large', 'The multipart body has more parts than an upload takes: one file and at most 40 fields.', { cause: error });
  }
  if (code === 'FST_REQ_FILE_TOO_LARGE' || (typeof code === 'string' && /^E[A-Z]+$/.test(code))) {
    return error;
  }
  return new ReactorError('invalid-document', `The multipart body could not be read (${error.message}).`, { cause: error });
}

function uploadFields(fields: readonly [string, string][]): { id: string | undefined; record: AssetRecordFields } {
  const errors: ReactorError[] = [];
  const ids = fields.filter(([name]) => name === 'id').map(([, value]) => value);
  const [id] = ids;
  if (ids.length > 1) {
    errors.push(new ReactorError('validation-error', 'Give the field "id" once.', { pointer: '/id' }));
  } else if (id !== undefined) {
    const problem = assetIdProblem(id);
    if (problem !== undefined) {
      errors.push(new ReactorError('validation-error', problem, { pointer: '/id' }));
    }
  }
  const record = collectRecordFields(
    fields.filter(([name]) => name !== 'id'),
    errors,
  );
  ReactorErrors.throwIfAny(errors);
  return { id, record };
}
