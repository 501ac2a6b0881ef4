import { Inject, Injectable } from '@nestjs/common';
import { DEFAULT_JSONP_HANDLER, jsonp, PROPERTY_CONTENT_TYPES, scriptSafeJson } from '@openexp/errors';
import { buildRenderSpec } from '../commands/build-render-spec';
import { renderDefaults } from '../commands/render-defaults';
import { withRes } from '../commands/res-scale';
import type { RenderSpec } from '../commands/render-spec';
import { IMAGE_SERVER_CONFIG, type ImageServerConfig } from '../config/image-server.config';
import type { PlainResponse } from '../errors';
import { cropRect, extendedSize, hasLayerCommands, layerSize, rotateAngle, rotatedSize } from '../pipeline/layer-stage';
import { planJobView } from '../pipeline/pixel-budget';
import type { ViewPlan } from '../pipeline/view-transform';
import { areaHtml, areaProperties, mapXml, parseAreas, transformArea, type MapArea, type MapGeometry, type PointMap } from './image-map';
import { jsonpOptions } from './image-replies.service';
import { ObjectSizeService } from './object-size.service';
import { encodedBody, plainReply, replyPolicy, TEXT_PLAIN } from './property-reply';
import { imageTtlHours, type RequestScope } from './request-context';
import type { PropertyFormat } from './request-type';

/**
 * Commands that move or size the map (Adobe's list for `req=map`, plus the view commands of this
 * server that change the reply geometry the same way: `fit`, `rect`, `rgn` and the normalized
 * variants). When none is present, from the URL or the record's modifiers, the map is returned as
 * written.
 */
const MAP_COMMANDS: ReadonlySet<string> = new Set([
  'align', 'wid', 'hei', 'scl', 'fit', 'rect', 'rgn', 'crop', 'cropn', 'flip', 'rotate', 'scale', 'res', 'size', 'sizen',
  'extend', 'extendn', 'layer', 'origin', 'originn', 'pos', 'posn', 'anchor', 'anchorn', 'src', 'map',
]);

/**
 * `req=map` (image-serving.md §2, §3.5 `map=`): the `<AREA>` elements of the record's `Map`
 * (source pixels) and of `map=` (layer pixels, after rotate/extend, placed behind the record's),
 * carried through the same layer and view geometry as the `req=img` reply, so the coordinates fit
 * the image the same URL returns at device pixel ratio 1 (`dpr=` does not change the layout size
 * the coordinates are for); areas emptied by the geometry are dropped. text: the elements
 * (`text/plain`, empty when none); xml: `<map>` of `<area … />`; json: `{"map":[{attr:value}]}`.
 * TTL: the image TTL. Bad command values are the usual usage errors, in the format asked for.
 */
@Injectable()
export class MapRepliesService {
  constructor(
    private readonly sizes: ObjectSizeService,
    @Inject(IMAGE_SERVER_CONFIG) private readonly config: ImageServerConfig,
  ) {}

  async map(scope: RequestScope, format: PropertyFormat): Promise<PlainResponse> {
    const { resolved } = scope;
    const commands = resolved.layer();
    // dpr= is validated but not applied: area coordinates are CSS pixels of the image as laid out
    // (wid/hei), which a denser reply for a high-density screen does not change.
    const { dpr: _dpr, ...spec } = withRes(buildRenderSpec(commands, { thumbnail: false }), resolved);
    const recordAreas = parseAreas(resolved.object.record?.map ?? '');
    const layerAreas = parseAreas(resolved.value('map') ?? '');
    let areas: MapArea[] = [...recordAreas, ...layerAreas];
    if (areas.length > 0 && commands.some((c) => MAP_COMMANDS.has(c.name))) {
      areas = await this.composite(scope, spec, recordAreas, layerAreas);
    }
    return this.reply(scope, format, areas);
  }

  private async composite(scope: RequestScope, spec: RenderSpec, recordAreas: MapArea[], layerAreas: MapArea[]): Promise<MapArea[]> {
    const { resolved } = scope;
    const source = await this.sizes.size(resolved.object, resolved.catalogs);
    const canvas = source ?? templateSize(spec);
    if (canvas === undefined) {
      return [];
    }
    const layer = layerGeometry(spec, canvas.width, canvas.height);
    const job = { spec, defaults: renderDefaults(resolved.attributes, resolved.object.record), thumbnail: false };
    const plan = planJobView(layer.width, layer.height, job, this.config.pipeline.maxRenderPixels);
    const view = viewMap(plan);
    if (view === undefined) {
      return [];
    }
    const fromLayer: MapGeometry = {
      point: view.point,
      width: plan.width,
      height: plan.height,
      outline: corners(layer.width, layer.height).map(([x, y]) => view.point(x, y)),
      scale: view.scale,
    };
    const fromSource: MapGeometry = {
      ...fromLayer,
      point: (x, y) => view.point(...layer.point(x, y)),
      outline: corners(canvas.width, canvas.height).map(([x, y]) => view.point(...layer.point(x, y))),
      scale: view.scale * layer.scale,
    };
    return [
      ...recordAreas.map((a) => transformArea(a, fromSource)),
      ...layerAreas.map((a) => transformArea(a, fromLayer)),
    ].filter((a): a is MapArea => a !== undefined);
  }

  private reply(scope: RequestScope, format: PropertyFormat, areas: readonly MapArea[]): PlainResponse {
    const policy = replyPolicy(scope, imageTtlHours(scope.resolved));
    switch (format) {
      case 'xml': {
        const encoding = scope.req.encoding;
        return plainReply(scope, `text/xml; charset=${encoding}`, encodedBody(mapXml(areas, encoding), 'xml', encoding), policy);
      }
      case 'json': {
        const { handler, requestId } = jsonpOptions(scope);
        const payload = `{"map":[${areas.map((a) => `{${areaProperties(a).map(([n, v]) => `${scriptSafeJson(n)}:${scriptSafeJson(v)}`).join(',')}}`).join(',')}]}`;
        return plainReply(scope, PROPERTY_CONTENT_TYPES.json, jsonp(handler ?? DEFAULT_JSONP_HANDLER, payload, requestId), policy);
      }
      default:
        return plainReply(scope, TEXT_PLAIN, areas.map(areaHtml).join(''), policy);
    }
  }
}

/** A template record (no image file) is a canvas of its `size=`. */
function templateSize(spec: RenderSpec): { width: number; height: number } | undefined {
  return spec.size !== undefined && spec.size.w > 0 && spec.size.h > 0 ? { width: spec.size.w, height: spec.size.h } : undefined;
}

const corners = (w: number, h: number): [number, number][] => [[0, 0], [w, 0], [w, h], [0, h]];

/**
 * Source pixels → composite (layer) pixels, as the layer stage draws them: crop, `size=`/`scale=`,
 * flip, rotation about the centre on a grown canvas, then `extend=` margins.
 */
export function layerGeometry(s: RenderSpec, width: number, height: number): { point: PointMap; width: number; height: number; scale: number } {
  if (!hasLayerCommands(s)) {
    return { point: (x, y) => [x, y], width, height, scale: 1 };
  }
  const crop = cropRect(s, width, height);
  const size = layerSize(s, crop);
  const fx = size.w / crop.w;
  const fy = size.h / crop.h;
  const angle = rotateAngle(s);
  const rotated = rotatedSize(size.w, size.h, angle);
  const rad = (angle * Math.PI) / 180;
  const [cos, sin] = angle % 90 === 0 ? [Math.round(Math.cos(rad)), Math.round(Math.sin(rad))] : [Math.cos(rad), Math.sin(rad)];
  const e = s.extend ?? { l: 0, t: 0, r: 0, b: 0 };
  const final = s.extend === undefined ? rotated : extendedSize(rotated.w, rotated.h, e);
  const point: PointMap = (x, y) => {
    let px = (x - crop.x) * fx;
    let py = (y - crop.y) * fy;
    if (s.flip?.lr) {
      px = size.w - px;
    }
    if (s.flip?.ud) {
      py = size.h - py;
    }
    const dx = px - size.w / 2;
    const dy = py - size.h / 2;
    return [dx * cos - dy * sin + rotated.w / 2 + e.l, dx * sin + dy * cos + rotated.h / 2 + e.t];
  };
  return { point, width: final.w, height: final.h, scale: (fx + fy) / 2 };
}

/** Composite pixels → reply pixels for a view plan; `undefined` when nothing of the composite shows. */
export function viewMap(plan: ViewPlan): { point: PointMap; scale: number } | undefined {
  const src = plan.source;
  if (src === undefined) {
    return undefined;
  }
  const sx = plan.resize.w / src.w;
  const sy = plan.resize.h / src.h;
  return {
    point: (x, y) => [(x - src.x) * sx - plan.extract.x + plan.pad.left, (y - src.y) * sy - plan.extract.y + plan.pad.top],
    scale: (sx + sy) / 2,
  };
}
