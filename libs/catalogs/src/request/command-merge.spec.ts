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

  it('with effectLayers, effect=n opens an effect layer of the current layer until the next layer= or effect=', () => {
    const fx = { ...routing, effectLayers: true };
    expect(show('layer=1&src=a&effect=-1&pos=5,5&wid=9&effect=02&color=ff0000&layer=2&src=b&pos=1,1', fx)).toEqual([
      'comp:wid=9', '1:layer=1', '1:src=a', '1~-1:effect=-1', '1~-1:pos=5,5', '1~2:effect=02', '1~2:color=ff0000', '2:layer=2', '2:src=b', '2:pos=1,1',
    ]);
    expect(show('effect=-1&opac=50&layer=0&effect=-1&opac=40', fx)).toEqual(['comp:layer=0', 'comp~-1:effect=-1', 'comp~-1:opac=40']);
    expect(show('layer=1&effect=-1&pos=5,5', routing)).toEqual(['1:layer=1', '1:effect=-1', '1:pos=5,5']);
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
