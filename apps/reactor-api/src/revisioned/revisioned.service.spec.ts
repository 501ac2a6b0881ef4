import { AuditService } from '../audit/audit.service';
import { AuthContext, type Right } from '../auth/rights';
import { ScopeRepository } from '../common/scope.repository';
import type { RevisionedRow } from '../database/schema';
import { newTestService, TEST_TX } from '../test/new-test-service';
import { RevisionedEvents } from './revisioned-events';
import { RevisionedValues } from './revisioned-values';
import { RevisionedRepository } from './revisioned.repository';
import { RevisionedService } from './revisioned.service';

const as = (...rights: Right[]) => new AuthContext('CO1', 'org@AdobeOrg', 'AT1', 'ci token', new Set(rights));
const links = { extensionPackageId: null, extensionId: null, ruleIds: [] };
const head = (over: Partial<RevisionedRow> = {}): RevisionedRow =>
  ({ id: 'EX1', origin_id: 'EX1', type: 'extensions', property_id: 'PR1', revision_number: 0, latest_revision_number: 0, deleted_at: null, extension_package_id: 'EP1', rule_id: null, ...over }) as RevisionedRow;

function setup(current: RevisionedRow) {
  const { sut, mocks } = newTestService(RevisionedService);
  const repo = mocks.get(RevisionedRepository);
  const events = mocks.get(RevisionedEvents);
  mocks.get(ScopeRepository).revisioned.mockResolvedValue(current);
  mocks.get(AuditService).record.mockResolvedValue(undefined);
  repo.update.mockImplementation((_tx, id, set) => Promise.resolve({ ...current, id, ...set } as RevisionedRow));
  repo.touchRule.mockResolvedValue(undefined);
  events.extensionUpgraded.mockResolvedValue(undefined);
  return { sut, repo, events, values: mocks.get(RevisionedValues) };
}

describe('RevisionedService', () => {
  it('announces an extension moved to another package, in the transaction of the change', async () => {
    const { sut, events, values } = setup(head());
    values.resolve.mockResolvedValue({ name: 'acme', enabled: true, settings: null, delegate_descriptor_id: null, extension_package_id: 'EP2' });
    await sut.update(as('manage_extensions'), 'extensions', 'EX1', {}, { ...links, extensionPackageId: 'EP2' });
    expect(events.extensionUpgraded).toHaveBeenCalledWith(TEST_TX, 'EX1', 'EP2');
  });

  it('announces nothing when the package stays', async () => {
    const { sut, events, values } = setup(head());
    values.resolve.mockResolvedValue({ name: 'acme', enabled: false, settings: null, delegate_descriptor_id: null, extension_package_id: 'EP1' });
    await sut.update(as('manage_extensions'), 'extensions', 'EX1', { enabled: false }, links);
    expect(events.extensionUpgraded).not.toHaveBeenCalled();
  });

  it('a changed rule component marks its rule changed', async () => {
    const { sut, repo, values } = setup(head({ id: 'RC1', origin_id: 'RC1', type: 'rule_components', rule_id: 'RL1', extension_package_id: null }));
    values.resolve.mockResolvedValue({ name: 'rc', enabled: true, settings: null, delegate_descriptor_id: 'core::events::click' });
    await sut.update(as('develop'), 'rule_components', 'RC1', {}, links);
    expect(repo.touchRule).toHaveBeenCalledWith(TEST_TX, 'RL1');
  });

  it.each([
    ['a revision', head({ id: 'EX2', revision_number: 1 })],
    ['a deleted head', head({ deleted_at: new Date() })],
  ])('refuses to edit %s (read-only) before validating anything', async (_what, row) => {
    const { sut, values, repo } = setup(row);
    await expect(sut.update(as('manage_extensions'), 'extensions', row.id, {}, links)).rejects.toMatchObject({ code: 'read-only' });
    expect(values.resolve).not.toHaveBeenCalled();
    expect(repo.update).not.toHaveBeenCalled();
  });

  it('takes manage_extensions for extensions and develop for the others', async () => {
    const { sut } = setup(head());
    await expect(sut.remove(as('develop'), 'extensions', 'EX1')).rejects.toMatchObject({ code: 'not-authorized' });
    const rule = setup(head({ id: 'RL1', type: 'rules' }));
    await expect(rule.sut.remove(as('manage_extensions'), 'rules', 'RL1')).rejects.toMatchObject({ code: 'not-authorized' });
  });

  it('revises a rule with its components: each snapshot points at the new rule revision', async () => {
    const rule = head({ id: 'RL1', origin_id: 'RL1', type: 'rules', latest_revision_number: 2 });
    const { sut, repo } = setup(rule);
    repo.components.mockResolvedValue([head({ id: 'RC1', origin_id: 'RC1', type: 'rule_components', rule_id: 'RL1' })]);
    repo.insert.mockImplementation((_tx, row, type) => Promise.resolve({ ...row, id: `${type}-new`, type } as RevisionedRow));
    const revision = await sut.revise(as('develop'), 'rules', 'RL1');
    expect(revision).toMatchObject({ origin_id: 'RL1', revision_number: 3 });
    expect(repo.insert).toHaveBeenLastCalledWith(TEST_TX, expect.objectContaining({ origin_id: 'RC1', rule_id: 'rules-new', revision_number: 1 }), 'rule_components');
  });
});
