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
    throw error;
  }
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
