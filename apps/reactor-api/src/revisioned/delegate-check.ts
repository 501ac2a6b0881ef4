import { Injectable } from '@nestjs/common';
import { ReactorError } from '@openexp/errors';
import type { DelegateManifest, ExtensionManifest } from '@openexp/queue-contracts';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

const KIND_OF_TYPE: Record<string, readonly string[]> = {
  data_elements: ['dataElements'],
  rule_components: ['events', 'conditions', 'actions'],
  extensions: ['extensionConfiguration'],
};

/**
 * Checks a delegate descriptor id against the extension's package (delegate-descriptor-unresolved)
 * and the settings string: JSON (invalid-settings-syntax), then the delegate's JSON Schema
 * (invalid-settings). Schemas are compiled once per package/delegate.
 */
@Injectable()
export class DelegateCheck {
  /**
   * `unicodeRegExp: false`: extension schemas are draft-04, whose `pattern`s are plain ECMA-262
   * regular expressions. Ajv's default `u` flag rejects patterns real packages use, such as
   * Adobe's core-edge `^{{([^}]+)}}$` (lone braces are a syntax error in unicode mode).
   * ajv-formats: packages' `format`s (`date-time`, `uri`, `email`, … as Adobe's core uses) are
   * checked, not ignored with a console warning per schema.
   */
  private readonly ajv = addFormats(new Ajv({ strict: false, allErrors: true, validateSchema: false, unicodeRegExp: false }));
  private readonly compiled = new Map<string, ValidateFunction>();

  check(type: string, descriptorId: string, settings: string | null | undefined, packageId: string, manifest: ExtensionManifest): void {
    const [pkg, kind, name] = descriptorId.split('::');
    const kinds = (Object.hasOwn(KIND_OF_TYPE, type) ? KIND_OF_TYPE[type] : undefined) ?? [];
    const delegate = pkg === manifest.name && kind !== undefined && kinds.includes(kind) ? findDelegate(manifest, kind, name) : undefined;
    if (delegate === undefined) {
      throw new ReactorError(
        'delegate-descriptor-unresolved',
        `"${descriptorId}" is not a ${kinds.join('/')} delegate of extension package ${manifest.name} ${manifest.version}.`,
        { pointer: '/data/attributes/delegate_descriptor_id' },
      );
    }
    const parsed = parseSettings(settings);
    const key = `${packageId}:${descriptorId}`;
    let validate = this.compiled.get(key);
    if (validate === undefined) {
      validate = this.compile(descriptorId, manifest, delegate.schema);
      this.compiled.set(key, validate);
    }
    if (!validate(parsed ?? {})) {
      const first = validate.errors?.[0];
      const where = first?.instancePath ? `settings${first.instancePath.replace(/\//g, '.')}` : 'settings';
      throw new ReactorError('invalid-settings', `${where} ${first?.message ?? 'does not match the delegate schema'}.`, {
        pointer: '/data/attributes/settings',
      });
    }
  }

  /** A schema the package ships but Ajv cannot compile is the package's fault: 422 naming it, never a 500. */
  private compile(descriptorId: string, manifest: ExtensionManifest, delegateSchema: Record<string, unknown>): ValidateFunction {
    const { $schema: _ignored, ...schema } = delegateSchema;
    try {
      return this.ajv.compile(schema);
    } catch (error) {
      throw new ReactorError(
        'invalid-settings',
        `The settings schema of "${descriptorId}" in extension package ${manifest.name} ${manifest.version} cannot be used: ${(error as Error).message}. Ask the package's author for a fixed version.`,
        { pointer: '/data/attributes/delegate_descriptor_id' },
      );
    }
  }
}

function findDelegate(manifest: ExtensionManifest, kind: string, name: string | undefined): Pick<DelegateManifest, 'schema'> | undefined {
  if (kind === 'extensionConfiguration') {
    return name === 'config' ? manifest.configuration : undefined;
  }
  const list = manifest[kind as 'events' | 'conditions' | 'actions' | 'dataElements'];
  return Array.isArray(list) ? list.find((d) => d.name === name) : undefined;
}

/** `settings` is a JSON **string** holding an object. */
export function parseSettings(settings: string | null | undefined): Record<string, unknown> | null {
  if (settings === null || settings === undefined || settings === '') {
    return null;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(settings);
  } catch (error) {
    throw new ReactorError('invalid-settings-syntax', `settings is not valid JSON: ${(error as Error).message}`, {
      pointer: '/data/attributes/settings',
    });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ReactorError('invalid-settings-syntax', 'settings must be a JSON object encoded as a string.', { pointer: '/data/attributes/settings' });
  }
  return parsed as Record<string, unknown>;
}
