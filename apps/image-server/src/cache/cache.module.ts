import { Module } from '@nestjs/common';
import { ImageCacheService } from './image-cache.service';

/** The in-memory result cache (§6). */
@Module({ providers: [ImageCacheService], exports: [ImageCacheService] })
export class CacheModule {}
