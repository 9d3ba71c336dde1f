#!/usr/bin/env node

// Check the Node.js version before @oclif/core loads: an older Node.js fails deep inside it otherwise.
import { exitIfNodeTooOld } from './node-version.js';

exitIfNodeTooOld();
const { execute } = await import('@oclif/core');
await execute({ dir: import.meta.url });
