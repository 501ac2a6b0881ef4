import { ImageServingError } from '@openexp/errors';
import { appendFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CatalogLoadError } from '../catalog/catalog-load-error';
import { CatalogStore } from '../catalog/catalog-store';
import { resolveRequest } from '../request/resolve-request';
import { FIXTURE_ROOT, copyFixtures, memoryLogger } from '../test/fixtures';

let dir: string;
let cleanup: () => Promise<void>;
let store: CatalogStore | undefined;

beforeEach(async () => {
  ({ dir, cleanup } = await copyFixtures());
});
afterEach(async () => {
  await store?.close();
  store = undefined;
  await cleanup();
});

const RULES = `<?xml version="1.0" encoding="UTF-8"?>
<ruleset>
  <!-- vanity path to a record, with a size -->
  <rule Name="vanity"><expression>^cat/vanity-(\\w+)\\.jpg(\\?|$)</expression><substitution>cat/$1?wid=100&amp;</substitution></rule>
  <!-- per-path expiration, then on -->
  <rule Name="short" OnMatch="continue"><expression>^cat/img2</expression><Expiration>0.25</Expiration></rule>
  <rule Name="never-expires" OnMatch="continue"><expression>^cat/exp0</expression><Expiration>-1</Expiration></rule>
  <rule Name="hide" OnMatch="error"><expression>^cat/secret/</expression></rule>
  <rule Name="elsewhere"><expression>^cat/to-full/(.*)$</expression><substitution>full/$1</substitution></rule>
  <rule Name="static only" RequestType="static"><expression>^cat/img1$</expression><substitution>cat/img2</substitution></rule>
</ruleset>
`;

const withRules = async (rules = RULES): Promise<void> => {
  await writeFile(join(dir, 'cat-rules.xml'), rules);
  await appendFile(join(dir, 'cat.ini'), '\nRuleSetFile=cat-rules.xml\n');
};

const open = async (logger = memoryLogger()): Promise<CatalogStore> => {
  store = await CatalogStore.open({ catalogRoot: dir, rootPath: FIXTURE_ROOT, watch: false, logger });
  return store;
};

const resolve = (s: CatalogStore, path: string, query = '', requestType?: 'is' | 'static') =>
  resolveRequest({ pathSegments: path.split('/'), rawQuery: query, ...(requestType === undefined ? {} : { requestType }) }, s);

describe('rule sets in catalogs', () => {
  it('rewrites the request before it is parsed: object, commands and catalog come from the new string', async () => {
    await withRules();
    const s = await open();
    expect(s.catalog('cat')?.ruleSet.size).toBe(6);
    const r = resolve(s, 'cat/vanity-img1.jpg', 'hei=50');
    expect(r.object.record?.id).toBe('img1');
    expect(r.value('wid')).toBe('100');
    expect(r.value('hei')).toBe('50');
    expect(r.rules.matched).toEqual(['vanity']);
    expect(r.resolvedString()).toContain('cat/img1?');

    const moved = resolve(s, 'cat/to-full/anything.jpg');
    expect(moved.selectedCatalog.rootId).toBe('full');
    expect(moved.pathObject).toBe('full/anything.jpg');

    // Without the rule set, the vanity path is a (missing) path object, not the record.
    const plain = await CatalogStore.open({ catalogRoot: await freshCopy(), rootPath: FIXTURE_ROOT, watch: false, logger: memoryLogger() });
    try {
      expect(resolve(plain, 'cat/vanity-img1.jpg').object.record).toBeNull();
    } finally {
      await plain.close();
    }
  });

  it("takes a rule's Expiration over the attribute, but not over a record's own Expiration", async () => {
    await withRules();
    const s = await open();
    expect(resolve(s, 'cat/img1').expirationHours).toBe(10);
    expect(resolve(s, 'cat/img2').expirationHours).toBe(0.25);
    expect(resolve(s, 'cat/img2').rules).toMatchObject({ matched: ['short'], expiration: 0.25 });
    // exp0 has Expiration=0 in its record: the record wins over the rule's -1.
    expect(resolve(s, 'cat/exp0').expirationHours).toBe(0);
  });

  it('refuses with IMG_RULE_REJECTED on OnMatch="error", and runs only the rules of the request type', async () => {
    await withRules();
    const s = await open();
    let error: unknown;
    try {
      resolve(s, 'cat/secret/plan.jpg');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ImageServingError);
    expect((error as ImageServingError).code).toBe('IMG_RULE_REJECTED');
    expect(resolve(s, 'cat/img1').object.record?.id).toBe('img1');
    expect(resolve(s, 'cat/img1', '', 'static').object.record?.id).toBe('img2');
  });

  it('refuses to start with a broken rule set, naming file and line', async () => {
    await withRules(RULES.replace('(\\w+)', '(\\w+'));
    let error: unknown;
    try {
      await open();
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(CatalogLoadError);
    expect((error as CatalogLoadError).message).toContain(`${join(dir, 'cat-rules.xml')}:4: RuleSetFile refused`);
    expect((error as CatalogLoadError).message).toContain("unclosed '('");
  });

  it('refuses to start when the RuleSetFile does not exist', async () => {
    await appendFile(join(dir, 'cat.ini'), '\nRuleSetFile=missing.xml\n');
    await expect(open()).rejects.toThrow('RuleSetFile');
  });

  it('on reload, a broken rule set keeps the previous one, says why (log, ruleSetError), and a fix clears it', async () => {
    await withRules();
    const logger = memoryLogger();
    const s = await open(logger);
    await writeFile(join(dir, 'cat-rules.xml'), '<ruleset><rule><expression>(a)\\1</expression><substitution>x</substitution></rule></ruleset>');
    const event = await s.reload('cat');
    expect(event.ok).toBe(true);
    const cat = s.catalog('cat');
    expect(cat?.ruleSet.size).toBe(6);
    expect(cat?.ruleSetError).toContain('back-references are not supported');
    expect(logger.lines.some((l) => l.level === 'error' && l.msg.includes('back-references') && l.msg.includes('previous rule set (6 rules) stays in use'))).toBe(true);
    expect(resolve(s, 'cat/vanity-img1.jpg').object.record?.id).toBe('img1');

    await writeFile(join(dir, 'cat-rules.xml'), '<ruleset><rule><expression>^cat/alias$</expression><substitution>cat/img2</substitution></rule></ruleset>');
    await s.reload('cat');
    expect(s.catalog('cat')?.ruleSetError).toBeNull();
    expect(s.catalog('cat')?.ruleSet.size).toBe(1);
    expect(resolve(s, 'cat/alias').object.record?.id).toBe('img2');
  });
});

describe('rule sets and the catalog watcher', () => {
  it('picks up a change of the rule file alone (it is one of the catalog files watched)', async () => {
    await withRules();
    store = await CatalogStore.open({ catalogRoot: dir, rootPath: FIXTURE_ROOT, watch: true, logger: memoryLogger(), debounceMs: 20 });
    const s = store;
    const reloaded = new Promise<void>((done) => {
      s.on('reload', (e) => {
        if (e.reloaded.some((r) => r.rootId === 'cat')) {
          done();
        }
      });
    });
    await writeFile(join(dir, 'cat-rules.xml'), '<ruleset><rule><expression>^cat/alias$</expression><substitution>cat/img2</substitution></rule></ruleset>');
    await reloaded;
    expect(s.catalog('cat')?.ruleSet.size).toBe(1);
    expect(resolve(s, 'cat/alias').object.record?.id).toBe('img2');
  });
});

let extraCleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.all(extraCleanups.map((c) => c()));
  extraCleanups = [];
});

/** Another untouched copy of the fixtures (no rule set), for comparisons. */
async function freshCopy(): Promise<string> {
  const copy = await copyFixtures();
  extraCleanups.push(copy.cleanup);
  return copy.dir;
}
