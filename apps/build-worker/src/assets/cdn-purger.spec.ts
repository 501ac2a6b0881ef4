import { purgeTargets, purgeUrl } from './cdn-purger';

describe('CDN purge targets', () => {
  const job = { jobId: 'j', catalog: 'my cat', ids: ['shoes/red 1'], urls: ['/is/image/my%20cat/x?wid=200&hei=100'], requestedAt: '' };

  it('purges each id as its bare /is/image path, then each URL as given', () => {
    expect(purgeTargets(job)).toEqual([
      { path: '/is/image/my%20cat/shoes/red%201', id: 'shoes/red 1' },
      { path: '/is/image/my%20cat/x?wid=200&hei=100', id: '' },
    ]);
  });

  it('fills the template with percent-encoded values, so a path cannot break out of its query parameter', () => {
    const [id, url] = purgeTargets(job);
    const template = 'https://cdn.example/purge?u=https%3A%2F%2Fimages.example{path}&c={catalog}&i={id}&again={path}';
    expect(purgeUrl(template, job.catalog, id ?? { path: '', id: '' })).toBe(
      'https://cdn.example/purge?u=https%3A%2F%2Fimages.example%2Fis%2Fimage%2Fmy%2520cat%2Fshoes%2Fred%25201&c=my%20cat&i=shoes%2Fred%201&again=%2Fis%2Fimage%2Fmy%2520cat%2Fshoes%2Fred%25201',
    );
    expect(purgeUrl('http://cdn/{path}', job.catalog, url ?? { path: '', id: '' })).toBe('http://cdn/%2Fis%2Fimage%2Fmy%2520cat%2Fx%3Fwid%3D200%26hei%3D100');
    expect(purgeUrl('http://cdn/{nope}/{id}', job.catalog, url ?? { path: '', id: '' })).toBe('http://cdn/{nope}/');
  });
});
