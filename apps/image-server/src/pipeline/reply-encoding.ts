import type { Sharp } from 'sharp';
import { colorToHex, type Rgba } from '../commands/color';
import type { OutputFormat } from '../commands/render-spec';
import { applyEncoder, FORMAT_MIME, usesQuality } from './encoders';
import type { RenderedImage, RenderJob } from './render-types';

/**
 * The last step of a render: the print resolution (`printRes=` or the catalog's), the encoder of
 * `format` with `fmt=`'s compression and `qlt=` (or the catalog's JPEG quality), then the reply's
 * bytes with what describes it (`gray` and `bgc` as the view produced them).
 */
export async function encodeReply(p: Sharp, job: RenderJob, format: OutputFormat, gray: boolean, bgc: Rgba): Promise<RenderedImage> {
  const { spec: s, defaults: d } = job;
  const printRes = s.printRes ?? d.printResolution;
  if (printRes !== undefined) {
    p = p.withDensity(printRes);
  }
  const compression = s.fmt?.compression;
  const quality = s.qlt?.quality ?? d.jpegQuality.quality;
  p = applyEncoder(p, { format, compression, quality, chroma: s.qlt?.chroma ?? d.jpegQuality.chroma });
  const { data, info } = await p.toBuffer({ resolveWithObject: true });
  return {
    data,
    width: info.width,
    height: info.height,
    channels: info.channels,
    format,
    contentType: FORMAT_MIME[format],
    quality,
    lossy: usesQuality(format, compression),
    pixelType: gray ? 'gray' : 'rgb',
    printRes,
    bgc: colorToHex(bgc),
  };
}
