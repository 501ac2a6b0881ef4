export * from './names';
export * from './manifest';
export * from './snapshot';
export * from './jobs';
export * from './assets';
export * from './options';
export * from './producer';
export * from './consumer';
