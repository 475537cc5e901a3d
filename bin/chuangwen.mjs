#!/usr/bin/env node
// The `chuangwen` command (npx chuangwen …): runs cli/main.ts through tsx.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
