import type { ExtensionManifest } from './manifest';

/*
 * A build snapshot: everything the worker needs to build and deploy one library, resolved by
 * reactor-api when the build is created (library resources merged with upstream by origin id).
 * The worker never reads the database, so the snapshot is self-contained; it is immutable once queued.
 * Settings are carried as the JSON strings the API stores; the worker parses and transforms them.
 */

export type EnvironmentStage = 'development' | 'staging' | 'production';
export type LibraryState = 'development' | 'submitted' | 'approved' | 'rejected' | 'published';
export type StorageDuration = 'pageview' | 'session' | 'visitor';

/** Platforms a library is built for (mobile properties are refused before a build is queued). */
export type BuildPlatform = 'web' | 'edge';

export interface BuildSnapshot {
  company: { id: string; orgId: string; token: string };
  property: {
    id: string;
    name: string;
    token: string;
    settings: { domains: string[]; undefinedVarsReturnEmpty: boolean; ruleComponentSequencingEnabled: boolean };
    /**
     * What the library runs on: `web` (a browser script with `@adobe/reactor-turbine`) or `edge`
     * (an event forwarding container run by `@adobe/reactor-turbine-edge`). Absent: `web` (jobs
     * queued before edge builds existed).
     */
    platform?: BuildPlatform;
  };
  environment: {
    id: string;
    name: string;
    stage: EnvironmentStage;
    /** 12-hex token; names the library files `launch-{token}[-development|-staging].js`. */
    token: string;
    /** Public base URL the host's files are served under (managed hosts: set by the server). */
    path: string;
    /** `{company.token}/{property.token}`. */
    libraryPath: string;
    /**
     * Archive environments (`archive: true`, §4.4): the build is delivered as one ZIP
     * `{libraryPath}/{build.token}/launch-….zip`, made current as `{libraryPath}/launch-….zip`,
     * instead of the loose files. Absent or null: loose files (jobs queued before archives existed).
     */
    archive?: ArchiveSnapshot | null;
  };
  library: { id: string; name: string; state: LibraryState };
  build: { id: string; token: string; createdAt: string };
  host: HostSnapshot;
  /** Extension revisions in the library (+ upstream), one per package name. */
  extensions: ExtensionSnapshot[];
  /** Enabled data element revisions. */
  dataElements: DataElementSnapshot[];
  /** Enabled rule revisions with their components, in the order they are emitted. */
  rules: RuleSnapshot[];
}

/** How to pack an archive environment's ZIP. */
export interface ArchiveSnapshot {
  /**
   * The environment's `archive_passphrase`, as an ASCII-armored PGP message encrypted to the
   * server's key (the same key SFTP private keys are encrypted to), so it never crosses Redis or
   * sits in a job in clear. Null: the ZIP is not encrypted. Set: every entry is encrypted with
   * AES-256 (WinZip AE-2, readable by 7-Zip, bsdtar/libarchive and WinZip).
   */
  encryptedPassphrase: string | null;
}

export type HostSnapshot = ManagedHostSnapshot | SftpHostSnapshot;

/** `type_of: akamai`: the server's own managed storage (the blob store, served by reactor-api). */
export interface ManagedHostSnapshot {
  id: string;
  type: 'akamai';
  name: string;
}

export interface SftpHostSnapshot {
  id: string;
  type: 'sftp';
  name: string;
  server: string;
  port: number;
  username: string;
  /** Remote directory the environment's public path maps to. */
  path: string;
  /** Copy the current entry file instead of symlinking it. */
  skipSymlinks: boolean;
  /** ASCII-armored PGP message holding the SSH private key, encrypted to the server's key; null = none. */
  encryptedPrivateKey: string | null;
}

export interface ExtensionSnapshot {
  /** Revision id (`EX…`). */
  id: string;
  /** Head id, stable across revisions. */
  originId: string;
  /** Package name, e.g. `core`. */
  name: string;
  displayName: string;
  version: string;
  /** Extension configuration settings (JSON string) or null. */
  settings: string | null;
  delegateDescriptorId: string | null;
  extensionPackage: {
    id: string;
    name: string;
    version: string;
    /** Blob-store prefix under which the package's extracted files live (`{prefix}/{libPath}`). */
    filesPrefix: string;
    /** May use `customCode` transforms (our own `core` package only). */
    trusted: boolean;
    manifest: ExtensionManifest;
  };
}

export interface DataElementSnapshot {
  id: string;
  originId: string;
  name: string;
  /** `{pkg}::dataElements::{name}`. */
  delegateDescriptorId: string;
  settings: string | null;
  defaultValue: string | null;
  forceLowerCase: boolean;
  cleanText: boolean;
  storageDuration: StorageDuration | null;
  /** Package name of the extension this data element belongs to. */
  extensionName: string;
}

export interface RuleSnapshot {
  id: string;
  originId: string;
  name: string;
  components: RuleComponentSnapshot[];
}

export interface RuleComponentSnapshot {
  id: string;
  originId: string;
  name: string;
  /** `{pkg}::{events|conditions|actions}::{name}`. */
  delegateDescriptorId: string;
  settings: string | null;
  /** Position among the rule's conditions or actions. */
  order: number;
  /** Event priority (events only); Turbine sorts rule-event pairs by it. */
  ruleOrder: number;
  negate: boolean;
  timeout: number | null;
  delayNext: boolean;
  /** Package name of the extension this component belongs to. */
  extensionName: string;
}
