import type { StyledText, TextAlign, TextParagraph } from './styled-text';

/** Consecutive paragraphs with the same alignment: one Pango layout each. */
export interface TextBlock {
  align: TextAlign;
  paragraphs: TextParagraph[];
}

/** Groups a document's paragraphs into blocks of one alignment. */
export function blocksOf(doc: StyledText): TextBlock[] {
  const blocks: TextBlock[] = [];
  for (const paragraph of doc.paragraphs) {
    const last = blocks[blocks.length - 1];
    if (last !== undefined && last.align === paragraph.align) {
      last.paragraphs.push(paragraph);
    } else {
      blocks.push({ align: paragraph.align, paragraphs: [paragraph] });
    }
  }
  return blocks;
}

/** A drawn block: its pixels' size and alignment. */
export interface SizedBlock {
  width: number;
  height: number;
  align: TextAlign;
}

/** Where each block goes in a `width`×`height` box: stacked, aligned per paragraph, the stack placed by `vertical`. */
export function placeBlocks<B extends SizedBlock>(blocks: readonly B[], box: { width: number; height: number }, vertical: StyledText['vertical']): { block: B; left: number; top: number; width: number; height: number }[] {
  const total = blocks.reduce((sum, b) => sum + b.height, 0);
  let top = Math.max(0, vertical === 'top' ? 0 : vertical === 'centre' ? Math.floor((box.height - total) / 2) : box.height - total);
  const placed: { block: B; left: number; top: number; width: number; height: number }[] = [];
  for (const block of blocks) {
    const height = Math.min(block.height, box.height - top);
    if (height <= 0) {
      break;
    }
    const width = Math.min(block.width, box.width);
    const left = block.align === 'left' ? 0 : block.align === 'centre' ? Math.floor((box.width - width) / 2) : box.width - width;
    placed.push({ block, left, top, width, height });
    top += block.height;
  }
  return placed;
}
