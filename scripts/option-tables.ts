// Prints docs/options.md's option tables from the option declarations: `npm run docs:options`.
import { renderOptionTable } from '../src/dsl/option-table.ts';
import { renderKoaOptionTable } from '../src/koa/option-docs.ts';
import { linkedAccountOptionDeclarations } from '../src/dsl/linked-account-options.ts';
import { multiAccountOptionDeclarations } from '../src/dsl/multi-account-options.ts';

console.log('### `@MultiAccount`\n');
console.log(renderOptionTable(multiAccountOptionDeclarations));
console.log('\n### `@LinkedAccountResource`\n');
console.log(renderOptionTable(linkedAccountOptionDeclarations));
console.log('\n## `multiAccountKoa` (Koa)\n');
console.log(renderKoaOptionTable());
