import { type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { PedigreeConfig } from '@pedigree/config';
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Serves the dashboard build (a single-page app) at `/`: static files, and index.html for its client-side routes.
 * API paths are never answered here. No credentials are needed for the files; the app signs in with an API key.
 */
@Module({})
export class DashboardModule implements NestModule {
  constructor(private readonly config: PedigreeConfig) {}

  configure(consumer: MiddlewareConsumer): void {
    const dir = resolve(this.config.dashboardDir);
    const index = join(dir, 'index.html');
    const files = express.static(dir, { index: false, maxAge: '1h' });
    const isApi = (path: string) => /^\/(v1|epcis|docs|docs-json|health|metrics)(\/|$)/.test(path);
    consumer
      .apply((req: Request, res: Response, next: NextFunction) => {
        // The mount point makes req.path relative; the original URL tells API routes apart.
        const path = req.originalUrl.split('?')[0] ?? '/';
        if (isApi(path) || (req.method !== 'GET' && req.method !== 'HEAD')) return next();
        if (!existsSync(index)) return next();
        // Nest strips the mount path from req.url; express.static needs the full one to find the file.
        req.url = req.originalUrl;
        files(req, res, () => res.sendFile(index));
      })
      .forRoutes('{*path}');
  }
}
