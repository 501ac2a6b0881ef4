import { chdir, cwd } from 'node:process';
import validate from '@adobe/reactor-validator';

const PREFIX = 'An error was found in your extension.json: ';

/**
 * Runs `@adobe/reactor-validator`, which resolves paths against the process's working directory.
 * It is synchronous, so switching the directory around the call cannot interleave with other work
 * of this process. Returns the problem (without the validator's prefix and our temp folder) or undefined.
 */
export function runReactorValidator(manifest: unknown, packageDir: string): string | undefined {
  const previous = cwd();
  let message: string | undefined;
  chdir(packageDir);
  try {
    message = validate(manifest);
  } finally {
    chdir(previous);
  }
  if (!message) {
    return undefined;
  }
  const withoutPrefix = message.startsWith(PREFIX) ? message.slice(PREFIX.length) : message;
  return withoutPrefix.split(`${packageDir}/`).join('').split(packageDir).join('.');
}
