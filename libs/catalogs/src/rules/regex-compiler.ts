/**
 * Compiling a parsed expression ({@link Node}) into the {@link Program} the Pike VM runs
 * (`pike-vm.ts`, which defines the instructions), and the two facts about the pattern a search
 * uses before it starts: whether it is anchored at the start, and a literal every match must contain.
 */

import { AssertCode, Op, Program } from './pike-vm';
import type { AssertKind, Node } from './regex-tree';

const ASSERT_CODES: Record<AssertKind, AssertCode> = {
  start: AssertCode.Start,
  end: AssertCode.End,
  word: AssertCode.Word,
  nonword: AssertCode.NonWord,
};

/** The whole program: group 0 saved around the expression, then `Match`. */
export function compileProgram(ast: Node): Program {
  const prog = new Program();
  prog.emit(Op.Save, 0);
  compile(ast, prog);
  prog.emit(Op.Save, 1);
  prog.emit(Op.Match);
  return prog;
}

function compile(node: Node, prog: Program): void {
  switch (node.t) {
    case 'char':
      prog.emit(Op.Char, node.code);
      return;
    case 'any':
      prog.emit(Op.Any);
      return;
    case 'set':
      prog.sets.push(node.ranges);
      prog.emit(node.negated ? Op.NotSet : Op.Set, prog.sets.length - 1);
      return;
    case 'assert':
      prog.emit(Op.Assert, ASSERT_CODES[node.kind]);
      return;
    case 'seq':
      for (const item of node.items) {
        compile(item, prog);
      }
      return;
    case 'group':
      compileGroup(node, prog);
      return;
    case 'alt':
      compileAlternation(node.items, prog);
      return;
    case 'repeat':
      compileRepeat(node, prog);
      return;
  }
}

function compileGroup(node: Extract<Node, { t: 'group' }>, prog: Program): void {
  if (node.index !== null) {
    prog.emit(Op.Save, node.index * 2);
  }
  compile(node.body, prog);
  if (node.index !== null) {
    prog.emit(Op.Save, node.index * 2 + 1);
  }
}

/** `a|b|c`: a Split before every branch but the last, each branch jumping past the others. */
function compileAlternation(items: readonly Node[], prog: Program): void {
  const jumps: number[] = [];
  items.forEach((item, i) => {
    if (i < items.length - 1) {
      const split = prog.emit(Op.Split);
      prog.x[split] = prog.length;
      compile(item, prog);
      jumps.push(prog.emit(Op.Jmp));
      prog.y[split] = prog.length;
    } else {
      compile(item, prog);
    }
  });
  for (const j of jumps) {
    prog.x[j] = prog.length;
  }
}

/** `x{min,max}`: `min` copies of the body, then a loop (unbounded) or `max - min` optional copies. */
function compileRepeat(node: Extract<Node, { t: 'repeat' }>, prog: Program): void {
  for (let i = 0; i < node.min; i++) {
    compile(node.body, prog);
  }
  if (node.max === Infinity) {
    const split = prog.emit(Op.Split);
    const body = prog.length;
    compile(node.body, prog);
    prog.emit(Op.Jmp, split);
    setSplit(prog, split, body, prog.length, node.greedy);
    return;
  }
  const splits: number[] = [];
  for (let i = node.min; i < node.max; i++) {
    const split = prog.emit(Op.Split);
    splits.push(split);
    prog.x[split] = prog.length;
    compile(node.body, prog);
  }
  for (const split of splits) {
    setSplit(prog, split, prog.x[split] ?? 0, prog.length, node.greedy);
  }
}

function setSplit(prog: Program, split: number, body: number, exit: number, greedy: boolean): void {
  prog.x[split] = greedy ? body : exit;
  prog.y[split] = greedy ? exit : body;
}

/** Longest run of characters every match must contain (a cheap `indexOf` pre-filter). */
export function requiredLiteral(node: Node): string {
  if (node.t === 'char') {
    return String.fromCharCode(node.code);
  }
  if (node.t === 'group') {
    return requiredLiteral(node.body);
  }
  if (node.t === 'repeat' && node.min >= 1) {
    return requiredLiteral(node.body);
  }
  if (node.t !== 'seq') {
    return '';
  }
  let best = '';
  let run = '';
  for (const item of node.items) {
    if (item.t === 'char') {
      run += String.fromCharCode(item.code);
      continue;
    }
    if (item.t === 'assert') {
      continue;
    }
    best = run.length > best.length ? run : best;
    run = '';
    const inner = requiredLiteral(item);
    best = inner.length > best.length ? inner : best;
  }
  return run.length > best.length ? run : best;
}

/** Whether every match starts at position 0 (`^…`, in every branch). */
export function startsAnchored(node: Node): boolean {
  if (node.t === 'assert') {
    return node.kind === 'start';
  }
  if (node.t === 'group') {
    return startsAnchored(node.body);
  }
  if (node.t === 'seq') {
    const first = node.items[0];
    return first !== undefined && startsAnchored(first);
  }
  if (node.t === 'alt') {
    return node.items.every(startsAnchored);
  }
  return false;
}
