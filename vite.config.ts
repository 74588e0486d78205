/**
 * The web app's build: index.html at the repository root, entry src/web/main.tsx, output in
 * dist/web (served by the Lodestar server). In development Vite proxies the API to the server on
 * port 3000, so the browser sees one origin, as in production.
 *
 * The server's Content-Security-Policy allows scripts only from 'self': nothing here may emit
 * inline scripts or rely on eval.
 */
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));
const api = 'http://localhost:3000';

export default defineConfig(({ command }) => ({
  root,
  publicDir: 'public',
  plugins: [react()],
  build: {
    outDir: 'dist/web',
    emptyOutDir: true,
    sourcemap: true,
    // Keep the module preload polyfill out: it is an inline script in some setups.
    modulePreload: { polyfill: false },
    target: 'es2022',
    minify: true,
  },
  server: {
    port: 5173,
    strictPort: true,
    proxy: {
      '/api': { target: api, changeOrigin: false },
      '/healthz': { target: api, changeOrigin: false },
    },
  },
  preview: { port: 4173 },
  // A build is always a production build, even when started from a test run (vitest sets
  // NODE_ENV=test, which would otherwise give React's development build).
  define: command === 'build' ? { 'process.env.NODE_ENV': JSON.stringify('production') } : {},
}));
