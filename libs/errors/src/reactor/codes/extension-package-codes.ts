import type { ReactorErrorDefinition } from '../reactor-error-definition';

/** Problems found in an uploaded extension package, mostly while the worker processes it (reactor-api.md §3.3). */
export const EXTENSION_PACKAGE_ERRORS = {
  'extension-package-zip-error': {
    title: 'Extension Package Zip Error',
    status: 422,
    kind: 'both',
    retry: 'permanent',
    deferredStatus: '422',
    description: 'The upload is not a readable zip archive, or zipping its distribution files failed.',
  },
  'library-file-not-found': {
    title: 'Library File Not Found',
    status: 422,
    kind: 'deferred',
    retry: 'permanent',
    deferredStatus: '422',
    description: 'A file named in extension.json (libPath, viewPath, main, iconPath, hostedLibFiles) is not in the zip.',
  },
  'extension-package-path-error': {
    title: 'Extension Package Path Error',
    status: 422,
    kind: 'deferred',
    retry: 'permanent',
    deferredStatus: '422',
    description: 'A path in extension.json is badly formed: absolute, escaping with `..`, or the wrong file type.',
  },
  'extension-package-transform-definition-error': {
    title: 'Invalid Transform Definition',
    status: 422,
    kind: 'deferred',
    retry: 'permanent',
    deferredStatus: '422',
    description: 'A transform in extension.json is invalid: several for one property path, or an unknown type.',
  },
  'illegal-custom-code-transform': {
    title: 'Illegal Custom Code Transform',
    status: 422,
    kind: 'deferred',
    retry: 'permanent',
    deferredStatus: '422',
    description: 'A package not owned by Adobe declares a `customCode` transform.',
  },
  'invalid-extension-package': {
    title: 'Invalid Extension Package',
    status: 422,
    kind: 'deferred',
    retry: 'permanent',
    deferredStatus: '422',
    description:
      'extension.json fails the extension package schema or the validator (our addition; reactor-api.md §5.3 recommends it).',
  },
  'extension-platform-mismatch': {
    title: 'Extension Platform Mismatch',
    status: 422,
    kind: 'immediate',
    retry: 'permanent',
    deferredStatus: null,
    description:
      "An extension install or upgrade names a package built for another platform than the property's (a web package on an edge property, core-edge on a web one); detail and meta name both platforms.",
  },
} as const satisfies Record<string, ReactorErrorDefinition>;
