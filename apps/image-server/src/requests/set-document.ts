/**
 * The one tree behind both forms of a `req=set` reply: written as XML, or as the JSON object the
 * viewers read from `req=set,json` (attributes and text-only children become string members,
 * repeated children arrays; `item` is always an array, so a one-item set reads like any other).
 */
import { escapeXmlAttribute, scriptSafeJson } from '@openexp/errors';

/** An element of a set document. */
export interface SetNode {
  name: string;
  /** Attributes in order. */
  attrs: [string, string][];
  /** Child elements in order. */
  children: SetNode[];
  /** Text content (only for elements without children). */
  text?: string;
}

/** Creates an element. */
export function node(name: string, attrs: [string, string][] = [], children: SetNode[] = [], text?: string): SetNode {
  return text === undefined ? { name, attrs, children } : { name, attrs, children, text };
}

const escapeText = (t: string): string => escapeXmlAttribute(t);

function xmlLines(n: SetNode, indent: string): string[] {
  const attrs = n.attrs.map(([k, v]) => ` ${k}="${escapeXmlAttribute(v)}"`).join('');
  if (n.text !== undefined) {
    return [`${indent}<${n.name}${attrs}>${escapeText(n.text)}</${n.name}>`];
  }
  if (n.children.length === 0) {
    return [`${indent}<${n.name}${attrs} />`];
  }
  return [`${indent}<${n.name}${attrs}>`, ...n.children.flatMap((c) => xmlLines(c, `${indent}  `)), `${indent}</${n.name}>`];
}

/** The XML document, declared in `encoding` (the caller turns it into those bytes). */
export function setXml(root: SetNode, encoding: string): string {
  return [`<?xml version="1.0" encoding="${encoding}" ?>`, ...xmlLines(root, ''), ''].join('\n');
}

/** Element names that are arrays in JSON even with one member. */
const ALWAYS_ARRAY: ReadonlySet<string> = new Set(['item']);

function jsonValue(n: SetNode): string {
  if (n.text !== undefined && n.attrs.length === 0) {
    return scriptSafeJson(n.text);
  }
  const members = n.attrs.map(([k, v]) => `${scriptSafeJson(k)}:${scriptSafeJson(v)}`);
  const groups = new Map<string, SetNode[]>();
  for (const c of n.children) {
    groups.set(c.name, [...(groups.get(c.name) ?? []), c]);
  }
  for (const [name, nodes] of groups) {
    const values = nodes.map(jsonValue);
    const value = nodes.length === 1 && !ALWAYS_ARRAY.has(name) ? (values[0] ?? 'null') : `[${values.join(',')}]`;
    members.push(`${scriptSafeJson(name)}:${value}`);
  }
  if (n.text !== undefined) {
    members.push(`"text":${scriptSafeJson(n.text)}`);
  }
  return `{${members.join(',')}}`;
}

/** The JSON payload `{"set":{…}}` (script-safe: no `<`, `>`, `&`, U+2028/9 unescaped). */
export function setJson(root: SetNode): string {
  return `{${scriptSafeJson(root.name)}:${jsonValue(root)}}`;
}
