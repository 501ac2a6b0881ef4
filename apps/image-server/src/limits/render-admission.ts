import { ImageServingError } from '@openexp/errors';

/**
 * Render admission (image-serving.md §7): at most `maxInFlight` renders run at once, at most
 * `maxQueue` wait in FIFO order, and anything beyond is refused at once with `IMG_OVERLOADED`
 * (class 4, 503 + Retry-After), so a burst can never pile up decoded images until memory runs out.
 */
export class RenderAdmission {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly maxInFlight: number,
    private readonly maxQueue: number,
    private readonly onRefused: () => void = () => undefined,
  ) {}

  /** Renders running now. */
  get inFlight(): number {
    return this.running;
  }

  /** Renders waiting for a slot. */
  get queued(): number {
    return this.waiting.length;
  }

  /** Runs `work` when a slot is free; throws `IMG_OVERLOADED` without running it when the queue is full. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.maxInFlight) {
      if (this.waiting.length >= this.maxQueue) {
        this.onRefused();
        throw new ImageServingError(
          'IMG_OVERLOADED',
          `render queue full: ${this.running} renders running, ${this.waiting.length} waiting`,
        );
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next !== undefined) {
        // The slot passes straight to the next waiter: `running` stays the same.
        next();
      } else {
        this.running--;
      }
    }
  }
}
