import { describeKind, type OptionDeclarations } from './option-schema.ts';

/** The README's option table, rendered from the same declarations that validate and default the options. */
export function renderOptionTable(declarations: OptionDeclarations): string {
  const rows = Object.entries(declarations).map(([name, declaration]) => {
    const fallback = declaration.required
      ? '**required**'
      : declaration.default === undefined
        ? '—'
        : `\`${JSON.stringify(declaration.default)}\``;
    const kind = describeKind(declaration.kind).replace(/, e\.g\..*$/, '');
    return `| \`${name}\` | ${kind} | ${fallback} | ${declaration.doc} |`;
  });
  return ['| option | type | default | what it does |', '|---|---|---|---|', ...rows].join('\n');
}
