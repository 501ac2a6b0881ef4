import { Module } from '@nestjs/common';
import { TextCanvasRepository } from './text-canvas.repository';

/** Text layers (`text=`): plain text and an RTF subset drawn with sharp's Pango text input. */
@Module({ providers: [TextCanvasRepository], exports: [TextCanvasRepository] })
export class TextModule {}
