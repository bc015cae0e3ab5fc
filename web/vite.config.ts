import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import tailwindcss from '@tailwindcss/vite';

const target = process.env.BM_DEV_TARGET ?? 'http://127.0.0.1:8094';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [react(), tailwindcss()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    target: 'es2022',
    // Reports the gzip size of each chunk; test/web/bundle-size.test.ts holds the initial JS to 250 KB.
    reportCompressedSize: true,
    chunkSizeWarningLimit: 600,
  },
  // `npx vite web` during development, against a running `better-manager demo`.
  server: { proxy: { '/api': target, '/v1': target, '/v1beta': target, '/health': target } },
});
