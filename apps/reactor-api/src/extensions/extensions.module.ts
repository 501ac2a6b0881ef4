import { Module } from '@nestjs/common';
import { ExtensionPackagesModule } from '../extension-packages/extension-packages.module';
import { CoreExtensionRepository } from './core-extension.repository';
import { CoreInstaller } from './core-installer';

/** Installs the `core` extension into a new property (properties call `CoreInstaller`). */
@Module({
  imports: [ExtensionPackagesModule],
  providers: [CoreInstaller, CoreExtensionRepository],
  exports: [CoreInstaller],
})
export class ExtensionsModule {}
