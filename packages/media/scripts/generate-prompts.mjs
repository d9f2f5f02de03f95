#!/usr/bin/env node
// Build step: synthesises the bundled prompts into the package's sounds/ directory.
import { rmSync } from 'node:fs';

import { bundledSoundsDir, writeBundledPrompts } from '../dist/index.js';

rmSync(bundledSoundsDir, { recursive: true, force: true });
const names = writeBundledPrompts(bundledSoundsDir);
console.log(`@tandem/media: ${names.length} prompts written to ${bundledSoundsDir}`);
