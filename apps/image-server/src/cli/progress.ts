/** Where progress goes: a TTY gets one bar redrawn in place, anything else one plain line per asset. */
export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): boolean;
}

/** Progress of a bulk import. */
export class ImportProgress {
  private done = 0;
  private failed = 0;

  constructor(
    private readonly stream: ProgressStream,
    private readonly total: number,
  ) {}

  /** One asset finished: `error` when it failed. */
  step(id: string, outcome: { jobId?: string | undefined; error?: string | undefined }): void {
    this.done++;
    this.failed += outcome.error === undefined ? 0 : 1;
    if (this.stream.isTTY === true) {
      const width = 30;
      const filled = this.total === 0 ? width : Math.round((this.done / this.total) * width);
      this.stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${this.done}/${this.total}  failed ${this.failed}`);
      if (this.done === this.total) {
        this.stream.write('\n');
      }
      return;
    }
    const line = outcome.error === undefined ? `ok ${this.done}/${this.total} ${id} job ${outcome.jobId ?? '?'}` : `failed ${this.done}/${this.total} ${id}: ${outcome.error}`;
    this.stream.write(`${line}\n`);
  }
}
