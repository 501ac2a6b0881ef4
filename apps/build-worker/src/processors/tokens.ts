/** Injection tokens of the worker's plain (framework-free) services. */
export const BLOB_STORE = Symbol('BLOB_STORE');
export const LIBRARY_BUILDER = Symbol('LIBRARY_BUILDER');
export const LIBRARY_DEPLOYER = Symbol('LIBRARY_DEPLOYER');
export const PACKAGE_PROCESSOR = Symbol('PACKAGE_PROCESSOR');
export const HOST_PRETESTER = Symbol('HOST_PRETESTER');
export const SERVER_KEYS = Symbol('SERVER_KEYS');
