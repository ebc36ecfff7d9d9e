#!/usr/bin/env node
// `course` once installed (package.json "bin"): loads tsx in this process, then the TypeScript
// entry. The project's tsconfig is named explicitly so that the user's current directory (and
// any tsconfig in it) does not change how Course's own code is compiled.
import { register } from 'tsx/esm/api';

register({ tsconfig: new URL('../tsconfig.json', import.meta.url).pathname });
await import('./main.ts');
