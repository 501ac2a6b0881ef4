import { Module } from '@nestjs/common';
import { ScopeModule } from '../common/scope.module';
import { NotesController } from './notes.controller';
import { NotesRepository } from './notes.repository';
import { NotesService } from './notes.service';

/** Notes on any resource (§2.11). */
@Module({
  imports: [ScopeModule],
  controllers: [NotesController],
  providers: [NotesRepository, NotesService],
})
export class NotesModule {}
