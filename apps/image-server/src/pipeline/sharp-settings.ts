import sharp from 'sharp';

/** Process-wide libvips settings (sharp `performance.md`). */
export interface SharpSettings {
  /** Threads libvips uses per image; 1 on glibc avoids fragmentation, parallelism comes from concurrent renders. */
  concurrency: number;
  /** libvips operation cache in MB; 0 disables it (buffer inputs never hit it anyway). */
  cacheMb: number;
}

/** Applies the settings once at start-up. */
export function applySharpSettings(settings: SharpSettings): void {
  sharp.concurrency(settings.concurrency);
  if (settings.cacheMb <= 0) {
    sharp.cache(false);
  } else {
    sharp.cache({ memory: settings.cacheMb, files: 0, items: 200 });
  }
  // SIMD (highway) is on by default; left as is.
}
