import { upgradesNotInProduction } from './upgraded-extension-check';

const rev = (id: string, revision_number: number, version: string, published = false, origin = 'EXh') => ({
  id,
  origin_id: origin,
  name: 'acme',
  version,
  revision_number,
  published,
  deleted_at: null,
});
const head = (version: string, deleted = false) => ({ ...rev('EXh', 0, version), deleted_at: deleted ? new Date() : null });

describe('upgradesNotInProduction', () => {
  it('nothing while every revision has the same version', () => {
    expect(upgradesNotInProduction([head('1.0.0'), rev('r1', 1, '1.0.0'), rev('r2', 2, '1.0.0')])).toEqual([]);
  });

  it('a revision above the production (published) version is required', () => {
    expect(upgradesNotInProduction([head('2.0.0'), rev('r1', 1, '1.0.0', true), rev('r2', 2, '2.0.0')]).map((r) => r.id)).toEqual(['r2']);
  });

  it('never published: the upgrade is relative to the lowest version revised', () => {
    expect(upgradesNotInProduction([head('1.2.0'), rev('r1', 1, '1.0.0'), rev('r2', 2, '1.2.0')]).map((r) => r.id)).toEqual(['r2']);
  });

  it('nothing once the upgrade is published, or when only the head was upgraded, or the extension is deleted', () => {
    expect(upgradesNotInProduction([head('2.0.0'), rev('r1', 1, '1.0.0', true), rev('r2', 2, '2.0.0', true)])).toEqual([]);
    expect(upgradesNotInProduction([head('2.0.0'), rev('r1', 1, '1.0.0', true)])).toEqual([]);
    expect(upgradesNotInProduction([head('2.0.0', true), rev('r1', 1, '1.0.0', true), rev('r2', 2, '2.0.0')])).toEqual([]);
  });
});
