#!/usr/bin/env -S node --import tsx
import { main } from '../runtime/cli.js';

process.exitCode = await main(process.argv.slice(2));
