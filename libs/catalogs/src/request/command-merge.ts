import type { CommandSource, CommandToken } from './modifier-tokens';

/** The layer key of commands given before any `layer=`: the composite / layer 0 (§3.2 `layer`). */
export const COMPOSITE_LAYER = 'comp';

/**
 * One command of the merged request, the winner among all occurrences of its name in its layer.
 */
export interface MergedCommand {
  /** Lower-case name (command names are case-insensitive, §1.3). */
  readonly name: string;
  /** Name as written by the winning occurrence. */
  readonly originalName: string;
  /** Decoded value with variables substituted (raw for nested requests); `''` when there was no `=`. */
  readonly value: string;
  /** Which source the winning occurrence came from. */
  readonly source: CommandSource;
  /**
   * Layer key: `comp` for commands before any `layer=` (and `layer=comp`), else the layer number
   * (`'1'`), or `name:<n>` for a layer only known by name.
   */
  readonly layer: string;
  /** True when `value` is a nested `is(...)`/`ir(...)`/`fxg(...)` request, not decoded. */
  readonly nested: boolean;
  /** The macro the winning occurrence came from (lower-case), or `null`. */
  readonly macro: string | null;
}

/**
 * How a server routes commands to layers (image-serving.md §1.6 step 6, §3.2). Without it every
 * command belongs to the layer it stands in, as written.
 */
export interface CommandRouting {
  /**
   * True for a global command (lower-case name): one that applies to the whole request (`req`,
   * `fmt`, `wid` ...), so it belongs to the composite wherever it stands, also after `layer=1`.
   * The last occurrence in the request wins, as for any command.
   */
  isGlobal(name: string): boolean;
  /**
   * True when layer 0 and the composite are one image (a server without multi-layer
   * compositing): commands after `layer=0` then join the composite's, and the last occurrence of
   * a name in either wins.
   */
  readonly layerZeroIsComposite: boolean;
  /**
   * True when `effect=n` starts an effect layer attached to the current layer (Adobe's "Layer
   * effects"): the commands up to the next `layer=` or `effect=` belong to it, under the key
   * `<parent>~<n>` (`1~-1`, `comp~2`), opened by its `effect=` command. Without it `effect` is a
   * command like any other.
   */
  readonly effectLayers?: boolean;
  /**
   * Called with the merged commands of a request; throws to refuse it (commands the server
   * documents but does not implement). `requestType` is the resolver's (`is` or `static`).
   */
  check?(commands: readonly MergedCommand[], requestType: 'is' | 'static'): void;
}

interface LayerGroup {
  layerCommand: MergedCommand | undefined;
  readonly commands: Map<string, MergedCommand>;
}

/**
 * Merges command tokens given in precedence order (record `Modifier`, then URL with macros
 * expanded in place, then record `PostModifier`; §1.6 step 6): within each layer the last
 * occurrence of a name wins, which gives Modifier < URL < PostModifier and the positional macro
 * semantics. Each source starts in the composite layer; `layer=` switches layers. The result lists
 * layers in order of first appearance, each opened by its `layer=` command (none for the initial
 * composite), with its commands in the order of their winning occurrences.
 *
 * With a {@link CommandRouting}, a global command goes to the composite wherever it stands, and
 * layer 0 joins the composite when the routing says they are one image; `layer=0` then opens no
 * layer of its own (the composite keeps the last `layer=0`/`layer=comp` as its layer command).
 */
export function mergeCommands(tokens: readonly CommandToken[], routing?: CommandRouting): MergedCommand[] {
  const groups = new Map<string, LayerGroup>([[COMPOSITE_LAYER, { layerCommand: undefined, commands: new Map() }]]);
  const layerNames = new Map<string, string>();
  let source: CommandSource | undefined;
  let parent = COMPOSITE_LAYER;
  let layer = COMPOSITE_LAYER;
  for (const t of tokens) {
    if (t.source !== source) {
      source = t.source;
      layer = parent = COMPOSITE_LAYER;
    }
    const name = t.name.toLowerCase();
    const opens = name === 'layer' || (name === 'effect' && routing?.effectLayers === true);
    if (name === 'layer') {
      layer = parent = layerKey(t.value, layerNames);
      if (routing?.layerZeroIsComposite === true && layer === '0') {
        layer = parent = COMPOSITE_LAYER;
      }
    } else if (opens) {
      layer = `${parent}~${effectKey(t.value)}`;
    }
    const target = routing !== undefined && !opens && routing.isGlobal(name) ? COMPOSITE_LAYER : layer;
    const group = groupOf(groups, target);
    const merged: MergedCommand = { name, originalName: t.name, value: t.value, source: t.source, layer: target, nested: t.nested, macro: t.macro };
    if (opens) {
      group.layerCommand = merged;
      continue;
    }
    group.commands.delete(name);
    group.commands.set(name, merged);
  }
  return [...groups.values()].flatMap((g) => (g.layerCommand === undefined ? [...g.commands.values()] : [g.layerCommand, ...g.commands.values()]));
}

/** The group of a layer key, created empty on first use. */
function groupOf(groups: Map<string, LayerGroup>, key: string): LayerGroup {
  let group = groups.get(key);
  if (group === undefined) {
    group = { layerCommand: undefined, commands: new Map() };
    groups.set(key, group);
  }
  return group;
}

/** `effect=n` → `n` as a number (`-01` → `-1`), else the value as written, lower-case (the server's check refuses it). */
function effectKey(value: string): string {
  const v = value.trim().toLowerCase();
  return /^[-+]?\d+$/.test(v) ? String(Number(v)) : v;
}

/** `layer=n|comp[,name]` or `layer=name` → a stable key; names are remembered per request. */
function layerKey(value: string, names: Map<string, string>): string {
  const [first = '', second] = value.split(',');
  const id = first.trim().toLowerCase();
  if (id === COMPOSITE_LAYER || /^-?\d+$/.test(id)) {
    const key = id === COMPOSITE_LAYER ? id : String(Number(id));
    if (second !== undefined && second.trim() !== '') {
      names.set(second.trim().toLowerCase(), key);
    }
    return key;
  }
  return names.get(id) ?? `name:${id}`;
}
