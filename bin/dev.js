#!/usr/bin/env node

// Check the Node.js version before @oclif/core loads: an older Node.js fails deep inside it otherwise.
// In development mode oclif registers tsx itself (a devDependency) to load src/commands/*.ts.
import { exitIfNodeTooOld } from './node-version.js';

exitIfNodeTooOld();
const { execute } = await import('@oclif/core');
await execute({ development: true, dir: import.meta.url });
