import { mergeCommands, type CommandRouting } from './command-merge';
import { tokenizeModifiers, type CommandToken } from './modifier-tokens';

const tokens = (text: string, source: 'modifier' | 'url' | 'postModifier' = 'url'): CommandToken[] =>
  tokenizeModifiers(text, 'strict', source).filter((t): t is CommandToken => t.kind === 'command');
const show = (text: string, routing?: CommandRouting) => mergeCommands(tokens(text), routing).map((c) => `${c.layer}:${c.name}=${c.value}`);

const GLOBAL = new Set(['req', 'wid', 'fmt']);
const routing: CommandRouting = { isGlobal: (name) => GLOBAL.has(name), layerZeroIsComposite: true };

describe('mergeCommands with a CommandRouting (image-serving.md §1.6 step 6, §3.2)', () => {
  it('without routing, commands stay in the layer they are written in (as before)', () => {
    expect(show('wid=1&layer=1&src=a&req=props&layer=0&fmt=png')).toEqual(['comp:wid=1', '1:layer=1', '1:src=a', '1:req=props', '0:layer=0', '0:fmt=png']);
  });

  it('routes global commands to the composite wherever they stand; layer commands stay', () => {
    expect(show('wid=1&layer=1&src=a&req=props', routing)).toEqual(['comp:wid=1', 'comp:req=props', '1:layer=1', '1:src=a']);
  });

  it('the last occurrence of a global command wins across layers', () => {
    expect(show('fmt=jpeg&layer=2&fmt=png&layer=comp&wid=5&layer=1&wid=7', routing)).toEqual(['comp:layer=comp', 'comp:fmt=png', 'comp:wid=7', '2:layer=2', '1:layer=1']);
  });

  it('layer 0 joins the composite when the routing says they are one image', () => {
    expect(show('crop=1,1,2,2&layer=0&crop=0,0,5,5&flip=lr', routing)).toEqual(['comp:layer=0', 'comp:crop=0,0,5,5', 'comp:flip=lr']);
    expect(show('layer=0&crop=0,0,5,5', { ...routing, layerZeroIsComposite: false })).toEqual(['0:layer=0', '0:crop=0,0,5,5']);
  });

  it('each source starts at the composite: a Modifier layer does not capture URL commands', () => {
    const merged = mergeCommands([...tokens('layer=1&src=a', 'modifier'), ...tokens('wid=3&flip=lr')], routing);
    expect(merged.map((c) => `${c.layer}:${c.name}`)).toEqual(['comp:wid', 'comp:flip', '1:layer', '1:src']);
  });
});
