// Prints the README's configuration table, generated from the settings schema:
//   node scripts/config-reference.ts
import { configurationReference } from '../src/config/reference.ts';

console.log(configurationReference());
