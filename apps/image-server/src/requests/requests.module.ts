import { Module } from '@nestjs/common';
import { CatalogsModule } from '../catalogs/catalogs.module';
import { ErrorsModule } from '../errors';
import { PipelineModule } from '../pipeline/pipeline.module';
import { ImageRepliesService } from './image-replies.service';
import { MapRepliesService } from './map-replies.service';
import { ObjectSizeService } from './object-size.service';
import { PropertyRepliesService } from './property-replies.service';
import { RequestFlowService } from './request-flow.service';
import { SetRepliesService } from './set-replies.service';

/** The `req=` types and the request flow. */
@Module({
  imports: [CatalogsModule, PipelineModule, ErrorsModule],
  providers: [ImageRepliesService, PropertyRepliesService, ObjectSizeService, MapRepliesService, SetRepliesService, RequestFlowService],
  exports: [RequestFlowService],
})
export class RequestsModule {}
