import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './engine/db/schema.ts',
  out: './engine/db/migrations',
});
