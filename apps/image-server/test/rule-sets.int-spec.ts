// Rule sets (attribute::RuleSetFile, image-serving.md §1.6 step 2) through the HTTP server: rules
// rewrite the request before it is parsed, set the TTL, refuse requests, and a hostile URL cannot
// make them run for long. The engine itself is tested in libs/catalogs/src/rules.
import { CatalogsService } from '../src/catalogs/catalogs.service';
import { appendFile, cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, ImageServerHarness, pixels } from './support/image-server.harness';

const RULES = `<?xml version="1.0" encoding="UTF-8"?>
<ruleset>
  <rule Name="seo"><expression>^cat/products/[a-z-]+/(\\w+)\\.jpg(?:\\?(.*))?$</expression><substitution>cat/$1?wid=120&amp;$2</substitution></rule>
  <rule Name="day" OnMatch="continue"><expression>^cat/img1\\?.*cachelong</expression><Expiration>24</Expiration></rule>
  <rule Name="private" OnMatch="error"><expression>^cat/private/</expression></rule>
  <rule Name="hostile" OnMatch="continue"><expression>^cat/(\\w+\\d*)+!$</expression><Expiration>1</Expiration></rule>
  <rule Name="hostile 2" OnMatch="continue"><expression>^cat/(a|aa)*$</expression><Expiration>2</Expiration></rule>
</ruleset>
`;

describe('rule sets over HTTP', () => {
  let root: string;
  let server: ImageServerHarness;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'is-rules-'));
    await cp(FIXTURES, root, { recursive: true });
    await writeFile(join(root, 'catalog', 'cat-rules.xml'), RULES);
    await appendFile(join(root, 'catalog', 'cat.ini'), '\nRuleSetFile=cat-rules.xml\nErrorDetail=2\n');
    server = await ImageServerHarness.start({ IS_CATALOG_ROOT: join(root, 'catalog'), IS_ROOT_PATH: root });
  });
  afterAll(async () => {
    await server.close();
    await rm(root, { recursive: true, force: true });
  });

  it('serves an SEO path as the record it is rewritten to, with the commands the rule adds', async () => {
    const seo = await server.get('/is/image/cat/products/summer-shoes/img1.jpg?fmt=png');
    expect(seo.status).toBe(200);
    expect(seo.headers['content-type']).toBe('image/png');
    expect((await pixels(seo.body)).width).toBe(120);
    const direct = await server.get('/is/image/cat/img1?wid=120&fmt=png');
    expect(seo.body.equals(direct.body)).toBe(true);
    const resolved = await server.get('/is/image/cat/products/x/img1.jpg?req=resolve');
    expect(resolved.text).toContain('cat/img1?');
  });

  it("a rule's Expiration sets the reply's max-age", async () => {
    const plain = await server.get('/is/image/cat/img1?wid=20');
    const long = await server.get('/is/image/cat/img1?wid=20&$x=cachelong');
    expect(plain.headers['cache-control']).toContain(`max-age=${10 * 3600}`);
    expect(long.headers['cache-control']).toContain(`max-age=${24 * 3600}`);
  });

  it('OnMatch="error" refuses with 403 IMG_RULE_REJECTED', async () => {
    const reply = await server.get('/is/image/cat/private/plan.jpg?wid=10&req=props,json');
    expect(reply.status).toBe(403);
    expect(reply.text).toContain('Request refused');
    expect(reply.text).toContain('refused by rule \\"private\\"');
  });

  it('req=catalogprops lists the rule set', async () => {
    const props = await server.get('/is/image/cat?req=catalogprops');
    expect(props.text).toContain('catalog.ruleSetRules=5');
    expect(props.text).toContain(`catalog.ruleSetFile=${join(root, 'catalog', 'cat-rules.xml')}`);
    expect(props.text).toMatch(/catalog\.ruleSetError=\r?\n/);
  });

  /** URLs built to make the hostile rules backtrack; each reply within a generous bound. */
  it('answers URLs built to backtrack promptly (no catastrophic backtracking)', async () => {
    const urls = [`/is/image/cat/${'a1'.repeat(1500)}?req=exists`, `/is/image/cat/${'a'.repeat(3000)}b?req=exists`];
    for (const url of urls) {
      const t0 = performance.now();
      const reply = await server.get(url);
      expect([200, 403]).toContain(reply.status);
      expect(performance.now() - t0).toBeLessThan(3000);
    }
  });

  it('a broken rule set on reload keeps the previous one and says why in req=catalogprops', async () => {
    await writeFile(join(root, 'catalog', 'cat-rules.xml'), '<ruleset><rule><expression>(?=x)</expression><Expiration>1</Expiration></rule></ruleset>');
    await server.app.get(CatalogsService).reload('cat');
    const props = await server.get('/is/image/cat?req=catalogprops');
    expect(props.text).toContain('catalog.ruleSetRules=5');
    expect(props.text).toMatch(/catalog\.ruleSetError=RuleSetFile refused.*cat-rules\.xml.*look-around/);
    const seo = await server.get('/is/image/cat/products/summer-shoes/img1.jpg?req=exists');
    expect(seo.text).toContain('catalogRecord.exists=1');
  });
});
