import { openAsBlob } from 'node:fs';
import { basename } from 'node:path';

/** The management API as the bulk import uses it. */
export class ImportClient {
  constructor(
    private readonly api: string,
    private readonly token: string,
  ) {}

  /**
   * Uploads one file (streamed from disk, not read into memory) with its record fields. The
   * idempotency key makes a repeated import of the same row (after a crash, a retry) one job.
   * Returns the job id, or throws an Error with the API's first error detail.
   */
  async upload(catalog: string, id: string, file: string, fields: Record<string, string>, idempotencyKey: string): Promise<string> {
    const form = new FormData();
    form.set('id', id);
    for (const [name, value] of Object.entries(fields)) {
      form.set(name, value);
    }
    form.set('file', await openAsBlob(file), basename(file));
    const response = await fetch(`${this.api}/catalogs/${encodeURIComponent(catalog)}/assets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.token}`, 'idempotency-key': idempotencyKey },
      body: form,
    });
    const document = (await response.json().catch(() => ({}))) as { data?: { id?: string }; errors?: { code?: string; detail?: string }[] };
    if (response.status !== 202 || document.data?.id === undefined) {
      const first = document.errors?.[0];
      throw new Error(first === undefined ? `HTTP ${response.status}` : `${first.code ?? 'error'}: ${first.detail ?? ''}`);
    }
    return document.data.id;
  }

  /** Waits until a job is no longer pending; its failure's first deferred error, or `undefined` on success. */
  async outcome(jobId: string, pollMs = 500): Promise<string | undefined> {
    for (;;) {
      const response = await fetch(`${this.api}/jobs/${jobId}`, { headers: { authorization: `Bearer ${this.token}` } });
      const document = (await response.json()) as { data?: { attributes?: { status?: string }; meta?: { status_details?: { errors?: { code?: string; detail?: string }[] } } } };
      const status = document.data?.attributes?.status;
      if (status === 'succeeded') {
        return undefined;
      }
      if (status === 'failed' || status === undefined) {
        const first = document.data?.meta?.status_details?.errors?.[0];
        return first === undefined ? `job ${jobId} failed (HTTP ${response.status})` : `${first.code ?? 'error'}: ${first.detail ?? ''}`;
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }
}
