// Issue 15 items 2, 3 and 5: multi-layer compositing (image-serving.md §1.6 step 8, §3.2, §3.5, §5).
// Fixtures: test/fixtures/images/comp (make-composite-fixtures.mjs), solid colours so sampled pixels are exact.
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { FIXTURES, ImageServerHarness, type TestReply } from './support/image-server.harness';

type Rgba = [number, number, number, number];

/** The reply's pixels as RGBA, and a reader of one pixel. */
async function pixels(r: TestReply): Promise<{ width: number; height: number; at: (x: number, y: number) => Rgba }> {
  expect(r.status).toBe(200);
  const { data, info } = await sharp(r.body).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return {
    width: info.width,
    height: info.height,
    at: (x, y) => {
      const i = (y * info.width + x) * 4;
      return [data[i] ?? -1, data[i + 1] ?? -1, data[i + 2] ?? -1, data[i + 3] ?? -1];
    },
  };
}

const WHITE: Rgba = [255, 255, 255, 255];
const RED: Rgba = [255, 0, 0, 255];

describe('multi-layer compositing (issue 15)', () => {
  let root: string;
  let server: ImageServerHarness;
  const png = (path: string, query: string) => server.get(`/is/image/${path}?${query}${query === '' ? '' : '&'}fmt=png-alpha`);

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'is-comp-'));
    await cp(join(FIXTURES, 'catalog'), root, { recursive: true });
    await writeFile(join(root, 'comp.ini'), 'RootId=comp\nRootPath=images/comp/\nCatalogFile=comp.txt\nErrorDetail=2\nDefaultImage=\n');
    await writeFile(join(root, 'compd.ini'), 'RootId=compd\nRootPath=images/comp/\nCatalogFile=comp.txt\nErrorDetail=2\nDefaultImage=red\nDefaultImageMode=1\n');
    await writeFile(
      join(root, 'comp.txt'),
      'Id\tPath\tMaskPath\tAnchor\n' +
        'white\twhite.png\t\t\n' +
        'gray\tgray.png\t\t\n' +
        'red\tred.png\t\t\n' +
        'badge\tbadge.png\t\t\n' +
        'twotone\ttwotone.png\t\t\n' +
        'masked\tred.png\thalfmask.png\t\n' +
        'cornered\tred.png\t\t0,0\n' +
        'gone\tmissing.png\t\t\n',
    );
    server = await ImageServerHarness.start({ IS_CATALOG_ROOT: root });
  });
  afterAll(async () => {
    await server?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('a layer is centred on layer 0 by default, and pos= moves it (pixels)', async () => {
    const centred = await pixels(await png('comp/white', 'layer=1&src=red'));
    expect([centred.width, centred.height]).toEqual([100, 80]);
    // red 20x10 centred on 100x80: x 40..59, y 35..44
    expect(centred.at(40, 35)).toEqual(RED);
    expect(centred.at(59, 44)).toEqual(RED);
    expect(centred.at(39, 35)).toEqual(WHITE);
    expect(centred.at(60, 44)).toEqual(WHITE);
    expect(centred.at(50, 34)).toEqual(WHITE);
    const moved = await pixels(await png('comp/white', 'layer=1&src=red&pos=-30,20'));
    expect(moved.at(10, 55)).toEqual(RED);
    expect(moved.at(29, 64)).toEqual(RED);
    expect(moved.at(30, 55)).toEqual(WHITE);
    expect(moved.at(45, 40)).toEqual(WHITE);
  });
});
