import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

// What the README tells Vue users: mark the tag as a custom element.
export default defineConfig({
  base: './',
  logLevel: 'warn',
  plugins: [vue({ template: { compilerOptions: { isCustomElement: (tag) => tag === 'clink-checkout' } } })],
});
