import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// `npm run dev` proxies the API to a running `outlay serve`; the built files are served by that server itself.
const apiTarget = process.env.OUTLAY_API_URL ?? 'http://127.0.0.1:4100';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  server: { proxy: { '/v1': apiTarget } },
  preview: { proxy: { '/v1': apiTarget } },
});
