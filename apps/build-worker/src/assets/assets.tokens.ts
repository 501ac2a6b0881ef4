/** The CDN purger, or `null` when ASSET_CDN_PURGE_URL is unset. */
export const CDN_PURGER = Symbol('CDN_PURGER');
