import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Deps } from '../../deps.ts';
import { gridRoutes } from './grids.routes.ts';
import { pointTypeRoutes } from './point-types.routes.ts';
import { pointRoutes } from './points.routes.ts';
import { zoneRoutes } from './zones.routes.ts';

/** The places half of org: point types, grids, zones and 包保, points. */
export const placesRoutes =
  (deps: Deps): FastifyPluginAsyncZod =>
  async (app) => {
    await app.register(pointTypeRoutes(deps));
    await app.register(gridRoutes(deps));
    await app.register(zoneRoutes(deps));
    await app.register(pointRoutes(deps));
  };
