import { Module } from '@nestjs/common';
import { TextCanvasRepository } from './text-canvas.repository';
import { TextRasterRepository } from './text-raster.repository';

/**
 * Text (`text=`): plain text and an RTF subset drawn with sharp's Pango text input, as encoded
 * canvases (error templates) and as RGBA layer rasters (text layers of composites).
 */
@Module({ providers: [TextCanvasRepository, TextRasterRepository], exports: [TextCanvasRepository, TextRasterRepository] })
export class TextModule {}
