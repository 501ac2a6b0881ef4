/**
 * @openexp/catalogs — Image Serving catalogs (image-serving.md §4) and request resolution
 * (§1.2-1.6, §7). Pure TypeScript on Node built-ins: no Nest, no Fastify, no sharp.
 */

// Catalogs
export { Catalog, type CatalogInit, type FileStamp } from './catalog/catalog';
export type { CatalogAttributes, ErrorDetail, ResMode, ThumbAlign, ThumbType } from './catalog/catalog-attributes';
export type { CatalogColor, PixelPair } from './catalog/catalog-values';
export { propertyDataLines, type CatalogMacro, type CatalogRecord, type SourceLocation } from './catalog/catalog-record';
export { CatalogLoadError } from './catalog/catalog-load-error';
export { CatalogSet } from './catalog/catalog-set';
export { RootGuard } from './catalog/root-guard';
export { CatalogFilesRepository } from './catalog/catalog-files.repository';
export type { CatalogLogger } from './catalog/catalog-logger';
export {
  CatalogStore,
  DEFAULT_CATALOG_FILE,
  type CatalogReloadEvent,
  type CatalogStoreOptions,
  type ReloadTrigger,
} from './catalog/catalog-store';
export { parseAttributeFile, type AttributeEntry, type AttributeFile } from './catalog/attribute-file';
export { parseTsv, type TsvCell, type TsvRow, type TsvTable } from './catalog/tsv-table';
export { readRecords } from './catalog/data-files';
export { decodeCatalogText } from './catalog/text-decoding';
export { RecordFileWriter, lockPathOf, replaceFile, type RecordFilesChange, type RecordFilesContent } from './catalog/record-writer';
export { hasRecord, readRecordFields, removeRecord, RecordEditError, upsertRecord, type RecordFieldValues } from './catalog/record-writer-edit';
export {
  DEFAULT_RECORD_LOCK_OPTIONS,
  RecordLockLostError,
  RecordLockTimeoutError,
  type RecordLockOptions,
} from './catalog/record-writer-lock';
export { findWritableCatalog, type WritableCatalog } from './catalog/record-writer-catalog';

// Requests
export { resolveObjectRequest, resolveRequest, type CatalogSource, type ObjectRequestInput, type RequestInput } from './request/resolve-request';
export { ResolvedRequest, type RuleEffect } from './request/resolved-request';
export {
  isNestedRequest,
  MAX_NESTING_DEPTH,
  NESTED_IGNORED_COMMANDS,
  parseNestedRequest,
  resolveNestedRequest,
  type NestedRequestOptions,
  type NestedRequestText,
} from './request/nested-request';
export type { ResolvedObject, MainCatalogSelection } from './request/object-resolution';
export { resolveObjectReference, selectMainCatalog, sourceFile } from './request/object-resolution';
export { COMPOSITE_LAYER, mergeCommands, type CommandRouting, type MergedCommand } from './request/command-merge';
export { splitModifiers, tokenizeModifiers, type CommandSource, type CommandToken, type ModifierToken } from './request/modifier-tokens';
export { percentDecode, percentEncodeValue } from './request/percent-decoding';
export { decodePathSegments } from './request/object-path';
export { substituteVariables } from './request/variables';
export {
  deobfuscateModifiers,
  lockModifiers,
  obfuscateModifiers,
  requestLockHash,
  stripRequestLock,
} from './request/request-lock';

// Rule sets (RuleSetFile, §1.6 step 2)
export {
  DEFAULT_STEP_BUDGET,
  MAX_RULE_INPUT,
  MAX_RULES,
  parseRuleSet,
  RuleSet,
  RuleSetError,
  type OnMatch,
  type Rule,
  type RuleOutcome,
  type RuleRequestType,
} from './rules/rule-set';
export { LinearRegex, RegexSyntaxError, StepBudgetExceeded, type RegexMatch, type StepBudget } from './rules/linear-regex';
