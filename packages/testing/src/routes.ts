interface Layer {
  rawPath?: unknown;
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/**
 * The routes an Express app declares, as "METHOD /path/{param}" (OpenAPI's spelling), read
 * from its router: routers mounted with app.use(path, router) are followed, plain
 * middleware is not a route. HEAD, which Express answers for every GET, is left out.
 */
export function expressRoutes(app: { router: unknown }, prefix = ''): string[] {
  const walk = (stack: Layer[], base: string): string[] =>
    stack.flatMap((layer) => {
      const at = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
      if (layer.route && typeof layer.route.path === 'string') {
        const path = `${base}${layer.route.path === '/' ? '' : layer.route.path}`.replace(/:(\w+)/g, '{$1}') || '/';
        return Object.keys(layer.route.methods)
          .filter((method) => method !== 'head' && method !== '_all')
          .map((method) => `${method.toUpperCase()} ${path}`);
      }
      return layer.handle?.stack ? walk(layer.handle.stack, `${base}${at}`) : [];
    });
  return walk((app.router as { stack: Layer[] }).stack, prefix);
}
