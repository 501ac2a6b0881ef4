import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { installedPackageDir } from './installed-package';

describe('installedPackageDir', () => {
  it('finds an installed package by its package.json', () => {
    const dir = installedPackageDir('@adobe/reactor-turbine-edge');
    expect(dir).toBeDefined();
    expect(existsSync(join(dir as string, 'package.json'))).toBe(true);
  });

  it('answers undefined for a package that is not installed', () => {
    expect(installedPackageDir('@openexp/no-such-package')).toBeUndefined();
  });
});
