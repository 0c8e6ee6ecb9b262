import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The page is served under a strict Content-Security-Policy (nothing inline, no data: URIs),
// so every asset must be a real file and Vite must not inject its module-preload polyfill.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022',
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
  // `npm run dev -w console` beside a running stack: the API stays same-origin, as behind nginx.
  server: {
    proxy: {
      '/api': 'http://localhost:8080',
      '/health': 'http://localhost:8080',
    },
  },
});
