import { Module } from '@nestjs/common';
import { RenderAdmissionService } from './render-admission.service';

/** Render admission (§7). */
@Module({ providers: [RenderAdmissionService], exports: [RenderAdmissionService] })
export class LimitsModule {}
