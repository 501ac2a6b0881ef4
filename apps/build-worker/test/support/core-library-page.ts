import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BuildSnapshot, DataElementSnapshot, RuleSnapshot } from '@openexp/queue-contracts';
import type { BrowserContext, Page } from 'playwright-core';
import { LibraryBuilder } from '../../src/build/library-builder';
import { loadTurbineEngine } from '../../src/build/turbine-engine';
import { component, coreExtension, coreManifest, FolderPackageReader, rule, snapshotOf } from '../../src/test/snapshot.factory';

/** A loopback HTTP server serving a built library and the pages that embed it. */
export class CoreLibraryServer {
  private server: Server | undefined;
  private readonly files = new Map<string, { type: string; body: string }>();
  baseUrl = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const file = this.files.get((req.url ?? '/').split('?')[0] ?? '/');
      res.writeHead(file ? 200 : 404, { 'content-type': file?.type ?? 'text/plain' });
      res.end(file?.body ?? 'not found');
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Builds a library (minified, real Turbine, our core package) and serves it at `libraryPath`. */
  async serveLibrary(libraryPath: string, parts: Pick<BuildSnapshot, 'rules' | 'dataElements'>): Promise<BuildSnapshot> {
    const snapshot = snapshotOf({ extensions: [coreExtension(await coreManifest())], ...parts });
    const built = await new LibraryBuilder(() => loadTurbineEngine(), new FolderPackageReader()).build(snapshot);
    const min = built.files.find((f) => f.path === built.layout.minFileName);
    this.files.set(libraryPath, { type: 'application/javascript', body: min?.content ?? '' });
    return snapshot;
  }

  /** Serves one file as it is. */
  serveFile(path: string, type: string, body: string): void {
    this.files.set(path, { type, body });
  }

  /** Serves a page whose head runs `headScript` and then loads the library at `libraryPath`. */
  servePage(path: string, libraryPath: string, headScript: string, body = ''): void {
    this.files.set('/favicon.ico', { type: 'image/x-icon', body: '' });
    this.files.set(path, {
      type: 'text/html',
      body: [
        '<!doctype html><html><head><title>Core page</title>',
        `<script>${headScript}</script>`,
        `<script src="${libraryPath}"></script>`,
        `</head><body>${body}<script>_satellite.pageBottom();</script></body></html>`,
      ].join('\n'),
    });
  }
}

/** A rule that runs on Library Loaded when `condition` passes and records its name in `window.__passed`. */
export function conditionRule(name: string, delegate: string, settings: unknown, event = 'library-loaded'): RuleSnapshot {
  return rule(name, [
    component(`core::events::${event}`, event === 'click' ? { elementSelector: '#go' } : {}),
    component(`core::conditions::${delegate}`, settings),
    component('core::actions::custom-code', { language: 'javascript', source: `(window.__passed = window.__passed || []).push(${JSON.stringify(name)});` }),
  ]);
}

/** Names of the rules that ran on the page, sorted. */
export async function passedRules(page: Page): Promise<string[]> {
  const passed = await page.evaluate(() => (globalThis as unknown as { __passed?: string[] }).__passed ?? []);
  return [...passed].sort();
}

/** Opens a page that reports script errors into the returned list. */
export async function openPage(context: BrowserContext): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') {
      errors.push(m.text());
    }
  });
  return { page, errors };
}

export type { DataElementSnapshot };
