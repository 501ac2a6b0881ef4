/**
 * Semantic version order (semver.org §11), for extension upgrades: numeric major.minor.patch, then
 * a release above any of its pre-releases, pre-release identifiers compared one by one (numbers
 * numerically and below words). Build metadata (`+…`) is ignored. Package versions are checked
 * to be semver when a package is processed; anything else compares as null.
 */
const SEMVER = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

export function compareVersions(a: string, b: string): number | null {
  const x = SEMVER.exec(a.trim());
  const y = SEMVER.exec(b.trim());
  if (x === null || y === null) {
    return null;
  }
  for (let i = 1; i <= 3; i++) {
    const diff = Number(x[i]) - Number(y[i]);
    if (diff !== 0) {
      return Math.sign(diff);
    }
  }
  return comparePrerelease(x[4], y[4]);
}

function comparePrerelease(a: string | undefined, b: string | undefined): number {
  if (a === undefined || b === undefined) {
    return a === b ? 0 : a === undefined ? 1 : -1;
  }
  const left = a.split('.');
  const right = b.split('.');
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const l = left[i];
    const r = right[i];
    if (l === undefined || r === undefined) {
      return l === undefined ? -1 : 1;
    }
    const ln = /^\d+$/.test(l);
    const rn = /^\d+$/.test(r);
    if (ln && rn && Number(l) !== Number(r)) {
      return Math.sign(Number(l) - Number(r));
    }
    if (ln !== rn) {
      return ln ? -1 : 1;
    }
    if (l !== r) {
      return l < r ? -1 : 1;
    }
  }
  return 0;
}
