// Issue 15 items 1 and 4: global commands apply wherever they stand; nothing documented is silently
// dropped (image-serving.md §1.6 step 6, §3.2, §3.5, §5).
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IMAGE_COMMANDS, REFUSED_COMMANDS, REQUEST_COMMAND_SCOPES } from '../src/commands/command-table';
import { FIXTURES, ImageServerHarness, type TestReply } from './support/image-server.harness';

/**
 * One global command of the table with a value, and the request it is tried in: `path` (default
 * `route/img1`), `context` (commands given before it, at the composite), `headers`. Each changes
 * the reply of its context, so a command that is dropped cannot give the same reply.
 */
interface Sample {
  readonly command: string;
  readonly context?: string;
  readonly path?: string;
  readonly headers?: Record<string, string>;
}

const SAMPLES: ReadonlyMap<string, Sample> = new Map(Object.entries({
  rgn: { command: 'rgn=0,0,200,160' },
  wid: { command: 'wid=120' },
  hei: { command: 'hei=90' },
  scl: { command: 'scl=4' },
  fit: { command: 'fit=crop', context: 'wid=100&hei=100' },
  align: { command: 'align=-1,-1', context: 'wid=200&hei=200' },
  bgc: { command: 'bgc=ff0000', context: 'wid=200&hei=200' },
  rect: { command: 'rect=0,0,50,50' },
  dpr: { command: 'dpr=2', context: 'wid=100' },
  fmt: { command: 'fmt=png', context: 'wid=100' },
  bfc: { command: 'bfc=on', context: 'wid=100', headers: { accept: 'image/webp,*/*' } },
  qlt: { command: 'qlt=20', context: 'wid=100' },
  resmode: { command: 'resMode=bilin', context: 'wid=150' },
  printres: { command: 'printRes=150', context: 'wid=100' },
  req: { command: 'req=props' },
  cache: { command: 'cache=off', context: 'wid=100' },
  id: { command: 'id=abc', context: 'req=props,json' },
  handler: { command: 'handler=myCb', context: 'req=props,json' },
  defaultimage: { command: 'defaultImage=img1', path: 'route/img2', context: 'wid=100' },
  imageset: { command: 'imageSet=img1', path: 'route', context: 'req=set' },
  message: { command: 'message=hello', context: 'req=message' },
  template: { command: 'template=tplwid' },
} satisfies Record<string, Sample>));

/** Global commands whose only effect is outside the reply (`message=` is logged), so "differs without it" cannot be asked. */
const NO_VISIBLE_EFFECT = new Set(['message']);

/** What must be equal between two replies: status, the headers that describe the body, the body (text without the date comment lines). */
function summary(r: TestReply): unknown {
  const type = String(r.headers['content-type'] ?? '');
  const body = type.startsWith('image/') ? r.body.toString('base64') : r.text.replace(/^#.*$/gm, '');
  return { status: r.status, type, cacheControl: r.headers['cache-control'], vary: r.headers['vary'], body };
}

describe('command routing (issue 15: global commands wherever they stand, nothing silently dropped)', () => {
  let root: string;
  let server: ImageServerHarness;
  const get = (path: string, query: string, headers: Record<string, string> = {}) => server.get(`/is/image/${path}?${query}`, headers);

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'is-routing-'));
    await cp(join(FIXTURES, 'catalog'), root, { recursive: true });
    // ErrorDetail=2: the error body shows the message, so the tests can see which command is named.
    await writeFile(join(root, 'route.ini'), 'RootId=route\nRootPath=images/cat/\nCatalogFile=route.txt\nMacroFile=route-macros.txt\nErrorDetail=2\n');
    await writeFile(
      join(root, 'route.txt'),
      'Id\tPath\tModifier\tPostModifier\n' +
        'img1\timg1.jpg\t\t\n' +
        'img2\tmissing.jpg\t\t\n' +
        'huerec\timg1.jpg\top_hue=50\t\n' +
        'layered\timg1.jpg\tlayer=1&src=img1&perspective=30\t\n' +
        'postfmt\timg1.jpg\tlayer=0&wid=100\tlayer=comp&fmt=png\n' +
        'tplwid\timg1.jpg\twid=77\t\n',
    );
    await writeFile(join(root, 'route-macros.txt'), 'Name\tDefinition\nlayerfmt\tlayer=0&fmt=png\ntexted\ttextAngle=90\n');
    server = await ImageServerHarness.start({ IS_CATALOG_ROOT: root });
  });
  afterAll(async () => {
    await server?.close();
    await rm(root, { recursive: true, force: true });
  });

  describe('item 1: the table walk — each global command after layer=0 or layer=comp gives the reply it gives before them', () => {
    const globals = [
      ...IMAGE_COMMANDS.filter((e) => e.scope === 'global').map((e) => e.names[0] ?? ''),
      ...[...REQUEST_COMMAND_SCOPES].filter(([, scope]) => scope === 'global').map(([name]) => name),
    ];

    it('has a sample for every global command of the table', () => {
      expect(globals.filter((name) => !SAMPLES.has(name))).toEqual([]);
      expect(globals.length).toBeGreaterThanOrEqual(20);
    });

    it.each(globals)('%s', async (name) => {
      const sample = SAMPLES.get(name);
      if (sample === undefined) {
        throw new Error(`no sample for ${name}`);
      }
      const path = sample.path ?? 'route/img1';
      const headers = sample.headers ?? {};
      const ctx = sample.context === undefined ? '' : `${sample.context}&`;
      const before = summary(await get(path, `${ctx}${sample.command}`, headers));
      if (!NO_VISIBLE_EFFECT.has(name)) {
        const without = summary(await get(path, sample.context ?? '', headers));
        expect(before).not.toEqual(without);
      }
      for (const query of [
        `${ctx}layer=0&${sample.command}`,
        `${ctx}layer=comp&${sample.command}`,
        `layer=0&${ctx}rotate=0&layer=comp&${sample.command}`,
        `${ctx}layer=0&flip=lr&layer=0&${sample.command}&layer=comp`,
      ]) {
        const reply = await get(path, query, headers);
        const expected = query.includes('flip=lr') ? summary(await get(path, `${ctx}flip=lr&${sample.command}`, headers)) : before;
        expect({ query, reply: summary(reply) }).toEqual({ query, reply: expected });
      }
    });

    it('global commands of a record Modifier after layer=0 and of a PostModifier after layer=comp apply (wid=100, fmt=png)', async () => {
      const r = await get('route/postfmt', '');
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toBe('image/png');
      expect(summary(r)).toEqual(summary(await get('route/img1', 'wid=100&fmt=png')));
    });

    it('a global command from a macro after layer=0 applies ($layerfmt$ = layer=0&fmt=png)', async () => {
      const r = await get('route/img1', 'wid=100&$layerfmt$');
      expect(r.headers['content-type']).toBe('image/png');
      expect(summary(r)).toEqual(summary(await get('route/img1', 'wid=100&fmt=png')));
    });

    it('layer commands after layer=0 apply to the image as at the composite (last occurrence wins)', async () => {
      const expected = summary(await get('route/img1', 'wid=100&crop=0,0,200,160'));
      expect(summary(await get('route/img1', 'wid=100&layer=0&crop=0,0,200,160'))).toEqual(expected);
      expect(summary(await get('route/img1', 'wid=100&crop=10,10,50,50&layer=0&crop=0,0,200,160'))).toEqual(expected);
      expect(summary(await get('route/img1', 'wid=100'))).not.toEqual(expected);
    });
  });

  describe('the three examples of the issue', () => {
    it('?layer=1&src=…&req=props answers properties (of the composite), not an image', async () => {
      const r = await get('route/img1', 'layer=1&src=img1&req=props');
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toMatch(/^text\/plain/);
      expect(r.text).toContain('image.width=');
      // req= after the layer switch is still the request type.
      const json = await get('route/img1', 'layer=1&src=img1&req=props,json&id=x1');
      expect(json.status).toBe(200);
      expect(json.headers['content-type']).toMatch(/^text\/javascript/);
    });

    it('req=props after layer=0 or layer=comp answers properties', async () => {
      for (const query of ['layer=0&req=props', 'layer=comp&req=props', 'layer=0&wid=100&layer=comp&req=props']) {
        const r = await get('route/img1', query);
        expect({ query, status: r.status, type: r.headers['content-type'] }).toEqual({ query, status: 200, type: 'text/plain; charset=UTF-8' });
        expect(r.text).toContain('image.width=');
      }
    });

    it('fmt=png after layer=1 is not silently dropped: after layer=1, layer=0 or layer=comp it is a PNG', async () => {
      for (const query of ['wid=100&layer=1&src=img1&fmt=png', 'wid=100&layer=0&fmt=png', 'layer=0&wid=100&layer=comp&fmt=png']) {
        const r = await get('route/img1', query);
        expect({ query, type: r.headers['content-type'] }).toEqual({ query, type: 'image/png' });
      }
    });

    it.each(['src=img1&scale=0.1', 'color=ff0000&size=20,20&pos=10,10', 'src=img1&scale=0.1&opac=50'])('layer=1&%s is composited: never the plain base image', async (command) => {
      const plain = await get('route/img1', 'wid=100&fmt=png');
      const layered = await get('route/img1', `wid=100&fmt=png&layer=1&${command}`);
      expect(layered.status).toBe(200);
      expect(layered.headers['content-type']).toBe('image/png');
      expect(layered.body.equals(plain.body)).toBe(false);
    });
  });

  describe('item 4: documented commands this server does not implement are refused by name', () => {
    it.each([...REFUSED_COMMANDS.keys()])('%s', async (name) => {
      const r = await get('route/img1', `wid=100&${name}=1`);
      expect(r.status).toBe(403);
      expect(r.text).toContain(`${name}=1: the command ${name} is not supported by this server`);
    });

    it('also from a record Modifier, a macro, or a named/negative layer; with req=validate too', async () => {
      const cases: [string, string, string][] = [
        ['route/huerec', 'wid=100', 'op_hue=50'],
        ['route/layered', 'wid=100', 'layer 1: perspective=30'],
        ['route/img1', 'wid=100&$texted$', 'textAngle=90'],
        ['route/img1', 'layer=top&wid=100', 'layer=top'],
        ['route/img1', 'layer=-1&wid=100', 'layer=-1'],
        ['route/img1', 'req=validate&op_hue=10', 'op_hue=10'],
      ];
      for (const [path, query, named] of cases) {
        const r = await get(path, query);
        expect({ path, query, status: r.status, named: r.text.includes(`${named}: `) }).toEqual({ path, query, status: 403, named: true });
        expect(r.text).toContain('not supported by this server');
      }
    });

    it('unknown names (viewer parameters) are still ignored and listed by req=resolve', async () => {
      const plain = await get('route/img1', 'wid=100');
      const withUnknown = await get('route/img1', 'wid=100&zoomstep=2&layer=0&viewerMode=x');
      expect(summary(withUnknown)).toEqual(summary(plain));
      const resolved = await get('route/img1', 'wid=100&zoomstep=2&req=resolve');
      expect(resolved.status).toBe(200);
      expect(resolved.text).toContain('# unknown commands (ignored): zoomstep');
    });

    it('req=resolve shows a global command given after layer=0 at the composite', async () => {
      const r = await get('route/img1', 'layer=0&flip=lr&layer=comp&fmt=png&req=resolve');
      expect(r.status).toBe(200);
      expect(r.text.split('\n')[0]).toBe('route/img1?layer=comp&flip=lr&fmt=png&req=resolve');
    });
  });
});
