#!/usr/bin/env node
// The `lotse` command: runs the TypeScript CLI through tsx (no build step).
import { register } from 'tsx/esm/api';

register();
await import('../engine/cli/lotse.ts');
