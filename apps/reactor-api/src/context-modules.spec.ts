import 'reflect-metadata';
import type { DynamicModule, Provider, Type } from '@nestjs/common';
import { parseConfig } from '@openexp/service-runtime';
import { AppModule } from './app.module';
import { reactorApiConfigSchema, toReactorApiConfig } from './config/reactor-api.config';

/**
 * Issue 18: one Nest module per context, each importing the modules it uses and exporting only what
 * the modules importing it inject (README "Contexts and modules"). Read from the modules' own
 * metadata: the constructor parameters of their providers and controllers (`design:paramtypes`,
 * with `@Inject(token)` overrides) and the factories' `inject` lists. The global modules built from
 * the configuration (config, JSON:API, database, queues) are dynamic and left out; the direction
 * of the imports is the cycle check's (`import-cycles.spec.ts`).
 */

interface ContextModule {
  name: string;
  type: Type;
  imports: unknown[];
  exports: unknown[];
  /** Every token the module's providers and controllers inject. */
  injects: Set<unknown>;
}

const config = toReactorApiConfig(parseConfig('reactor-api', reactorApiConfigSchema, { REDIS_URL: 'redis://127.0.0.1:6379' }));

function metadata(type: Type, key: string): unknown[] {
  return (Reflect.getMetadata(key, type) as unknown[] | undefined) ?? [];
}

function injectedBy(type: Type): unknown[] {
  const tokens = [...metadata(type, 'design:paramtypes')];
  for (const { index, param } of metadata(type, 'self:paramtypes') as { index: number; param: unknown }[]) {
    tokens[index] = param;
  }
  return tokens;
}

function dependenciesOf(provider: Provider): unknown[] {
  if (typeof provider === 'function') {
    return injectedBy(provider);
  }
  if ('useClass' in provider) {
    return injectedBy(provider.useClass);
  }
  if ('useFactory' in provider) {
    return (provider.inject ?? []).map((t) => (typeof t === 'object' && t !== null && 'token' in t ? t.token : t));
  }
  return [];
}

/** The class modules reachable from the app module, by name. */
function contextModules(): Map<Type, ContextModule> {
  const found = new Map<Type, ContextModule>();
  const visit = (entry: unknown): void => {
    if (typeof entry !== 'function' || found.has(entry as Type)) {
      return;
    }
    const type = entry as Type;
    const providers = metadata(type, 'providers') as Provider[];
    const controllers = metadata(type, 'controllers') as Type[];
    const injects = new Set([...providers, ...controllers].flatMap((p) => dependenciesOf(p)));
    found.set(type, { name: type.name, type, imports: metadata(type, 'imports'), exports: metadata(type, 'exports'), injects });
    metadata(type, 'imports').forEach(visit);
  };
  (AppModule.forRoot(config).imports as (Type | DynamicModule)[]).forEach(visit);
  return found;
}

const nameOf = (token: unknown): string => (typeof token === 'function' ? token.name : String(token));

describe('reactor-api context modules', () => {
  const modules = contextModules();

  it('are found from the app module', () => {
    expect([...modules.values()].map((m) => m.name)).toEqual(expect.arrayContaining(['AuditModule', 'PropertiesModule', 'LibrariesModule', 'BuildsModule', 'ResultsModule']));
  });

  it('import modules, never a forward reference', () => {
    const forward = [...modules.values()].flatMap((m) => m.imports.filter((i) => typeof i !== 'function').map(() => `${m.name} imports a forward reference`));
    expect(forward).toEqual([]);
  });

  it('export only what a module importing them injects', () => {
    const unused = [...modules.values()].flatMap((m) => {
      const importers = [...modules.values()].filter((other) => other.imports.includes(m.type));
      return m.exports.filter((token) => !importers.some((other) => other.injects.has(token))).map((token) => `${m.name} exports ${nameOf(token)}`);
    });
    expect(unused).toEqual([]);
  });

  it('import only modules whose exports they inject', () => {
    const unused = [...modules.values()].flatMap((m) =>
      m.imports
        .map((i) => modules.get(i as Type))
        .filter((imported): imported is ContextModule => imported !== undefined && !imported.exports.some((token) => m.injects.has(token)))
        .map((imported) => `${m.name} imports ${imported.name}`),
    );
    expect(unused).toEqual([]);
  });
});
