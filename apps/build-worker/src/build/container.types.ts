import type { RawCode } from './raw-code';

/*
 * The container Turbine reads from `_satellite.container` (schema: `@adobe/reactor-turbine-schemas`
 * `container.json`, plus `buildInfo.minified`, which Turbine 28 reads to address hosted files).
 */

export interface ContainerModule {
  name?: string;
  displayName?: string;
  shared?: boolean;
  filePaths?: string[];
  script: RawCode;
}

export interface ContainerExtension {
  displayName: string;
  settings?: Record<string, unknown>;
  hostedLibFilesBaseUrl?: string;
  filePaths?: string[];
  modules: Record<string, ContainerModule>;
}

export interface ContainerDataElement {
  modulePath: string;
  settings: Record<string, unknown>;
  defaultValue?: string;
  forceLowerCase?: boolean;
  cleanText?: boolean;
  storageDuration?: 'pageview' | 'session' | 'visitor';
}

export interface ContainerRuleComponent {
  modulePath: string;
  settings: Record<string, unknown>;
}

export interface ContainerRule {
  id: string;
  name: string;
  events: Array<ContainerRuleComponent & { ruleOrder: number }>;
  conditions: Array<ContainerRuleComponent & { negate?: boolean; timeout?: number }>;
  actions: Array<ContainerRuleComponent & { timeout?: number; delayNext?: boolean }>;
}

export interface Container {
  company: { orgId: string; dynamicCdnEnabled: boolean; cdnAllowList: string[] };
  property: {
    id: string;
    name: string;
    settings: { domains: string[]; undefinedVarsReturnEmpty: boolean; ruleComponentSequencingEnabled: boolean };
  };
  environment: { id: string; stage: string };
  buildInfo: { turbineVersion: string; turbineBuildDate: string; buildDate: string; minified: boolean };
  dataElements: Record<string, ContainerDataElement>;
  extensions: Record<string, ContainerExtension>;
  rules: ContainerRule[];
}

/** A file of the build other than the main library, relative to the build directory. */
export interface ExtraFile {
  path: string;
  content: string;
  /** Also write a `.min.js` twin (hosted lib files, addressed by Turbine with `.min` when minified). */
  minifiedTwin: boolean;
  origin: { kind: 'module' | 'rule_component' | 'data_element' | 'extension'; id: string };
}
