import { Module } from '@nestjs/common';
import { BlobsModule } from '../blobs/blobs.module';
import { CoreSeeder } from './core-seeder';
import { ExtensionPackagesController } from './extension-packages.controller';
import { ExtensionPackagesInput } from './extension-packages.input';
import { ExtensionPackagesRepository } from './extension-packages.repository';
import { ExtensionPackagesService } from './extension-packages.service';
import { PackageAssetsController } from './package-assets.controller';
import { PackageAssetsService } from './package-assets.service';
import { UsageAuthorizationsController } from './usage-authorizations.controller';
import { UsageAuthorizationsRepository } from './usage-authorizations.repository';
import { UsageAuthorizationsService } from './usage-authorizations.service';

/**
 * Extension packages (§2.7, §5): uploads handed to the build worker, the seeded `core`, the extracted
 * files at `cdn_path`, versions, and usage authorizations (a private package shared with another
 * org). Contexts above read packages (`ExtensionPackagesRepository`: installs, snapshots, results,
 * `isAuthorized` for shared packages) and present them (`ExtensionPackagesService`: an extension's package).
 */
@Module({
  imports: [BlobsModule],
  controllers: [ExtensionPackagesController, PackageAssetsController, UsageAuthorizationsController],
  providers: [ExtensionPackagesRepository, ExtensionPackagesService, ExtensionPackagesInput, PackageAssetsService, CoreSeeder, UsageAuthorizationsRepository, UsageAuthorizationsService],
  exports: [ExtensionPackagesRepository, ExtensionPackagesService],
})
export class ExtensionPackagesModule {}
