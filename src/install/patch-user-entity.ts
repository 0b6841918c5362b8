import { Node, SyntaxKind, type PropertyDeclaration, type Type } from 'ts-morph';
import type { UserEntity } from './find-files.ts';
import { ensureNamedImports, relativeSpecifier } from './imports.ts';
import { stepAt, type NextStep } from './next-steps.ts';
import type { LinkEntity } from './patch-link-entity.ts';

/** Property names that say who an account is, best first: up to two of them, and one email, are proposed. */
const nameFields = [
  'displayName',
  'name',
  'fullName',
  'username',
  'userName',
  'nickname',
  'handle',
  'login',
  'firstName',
];
const emailFields = ['email', 'emailAddress', 'mail'];
const flagFields = ['active', 'isActive', 'enabled', 'isEnabled'];
const statusFields = ['status', 'state'];
/** The decorators of properties MikroORM loads with the user. */
const persistentDecorators = ['Property', 'Enum', 'Formula'];
const storedDecorators = ['Property', 'Enum'];

export interface AccountFields {
  displayFields: string[];
  activeCheck?: { field: string; value: string | boolean };
}

/**
 * Puts `@MultiAccount({ linkedAccountResource: () => LinkedAccount, … })` right after the user's `@Entity()`,
 * with `displayFields` and `activeCheck` proposed from the properties the entity declares.
 */
export function patchUserEntity(user: UserEntity, link: LinkEntity, nextSteps: NextStep[]): void {
  if (user.declaration.getDecorator('MultiAccount')) return;
  const proposed = proposeAccountFields(user);
  const quote = user.file.getProject().manipulationSettings.getQuoteKind() as string;
  const literal = (value: string | boolean) =>
    typeof value === 'string' ? `${quote}${value.replace(/[\\'"]/g, '\\$&')}${quote}` : String(value);
  const options = [`linkedAccountResource: () => ${link.name}`];
  if (proposed.displayFields.length > 0)
    options.push(`displayFields: [${proposed.displayFields.map(literal).join(', ')}]`);
  if (proposed.activeCheck)
    options.push(
      `activeCheck: { field: ${literal(proposed.activeCheck.field)}, value: ${literal(proposed.activeCheck.value)} }`,
    );
  const entityIndex = user.declaration.getDecorators().findIndex(decorator => decorator.getName() === 'Entity');
  const oneLine = `{ ${options.join(', ')} }`;
  const decorator = user.declaration.insertDecorator(entityIndex + 1, { name: 'MultiAccount', arguments: [oneLine] });
  if (oneLine.length > 100) {
    const indent = user.file.getProject().manipulationSettings.getIndentationText() as string;
    decorator.getArguments()[0]!.replaceWithText(`{\n${options.map(option => `${indent}${option},\n`).join('')}}`);
  }
  ensureNamedImports(user.file, 'mikro-multi-account', ['MultiAccount']);
  ensureNamedImports(user.file, relativeSpecifier(user.file, link.file.getFilePath()), [link.name]);
  // As the guide has it: the generated repository methods typed, unless the app has a repository type of its own.
  if (!user.declaration.getProperty('[EntityRepositoryType]')) {
    user.declaration.insertProperty(0, {
      name: '[EntityRepositoryType]',
      hasQuestionToken: true,
      type: `MultiAccountUserRepository<${user.name}, ${link.name}>`,
    });
    ensureNamedImports(user.file, '@mikro-orm/core', ['EntityRepositoryType']);
    ensureNamedImports(user.file, 'mikro-multi-account', [{ name: 'MultiAccountUserRepository', isTypeOnly: true }]);
  }

  const chosen = [
    proposed.displayFields.length > 0
      ? `displayFields [${proposed.displayFields.join(', ')}] (shown in the account switcher)`
      : `no displayFields (${user.name} has no name- or email-like property; ` +
        'add the ones the account switcher should show)',
    proposed.activeCheck
      ? `activeCheck { field: ${proposed.activeCheck.field}, value: ${JSON.stringify(proposed.activeCheck.value)} } ` +
        '(only such users can be linked or switched to)'
      : "no activeCheck (no active flag or status with an 'active' value found; " +
        'add one if accounts can be deactivated)',
  ];
  nextSteps.push(stepAt(decorator, `@MultiAccount on ${user.name}: proposed ${chosen.join(' and ')}. Check them.`));
}

/** What `@MultiAccount` should show and check, from the properties the user entity declares. */
export function proposeAccountFields(user: UserEntity): AccountFields {
  const properties = user.declaration
    .getProperties()
    .filter(property => !property.isStatic() && persistentDecorators.some(name => property.getDecorator(name)));
  const byName = new Map(properties.map(property => [property.getName(), property]));
  const getters = new Set(user.declaration.getGetAccessors().map(getter => getter.getName()));
  const readable = (name: string) => byName.has(name) || getters.has(name);
  const names = nameFields.filter(readable).slice(0, 2);
  const email = emailFields.find(readable);
  const displayFields = email ? [...names, email] : names;

  const stored = (name: string) => {
    const property = byName.get(name);
    return property && storedDecorators.some(decorator => property.getDecorator(decorator)) ? property : undefined;
  };
  const flag = flagFields.map(stored).find(property => property && isBoolean(property));
  if (flag) return { displayFields, activeCheck: { field: flag.getName(), value: true } };
  for (const property of statusFields.map(stored)) {
    const value = property && activeValueOf(property);
    if (property && value !== undefined) return { displayFields, activeCheck: { field: property.getName(), value } };
  }
  return { displayFields };
}

function isBoolean(property: PropertyDeclaration): boolean {
  const type = property.getType();
  return (
    type.isBoolean() ||
    (type.isUnion() &&
      type.getUnionTypes().every(part => part.isBooleanLiteral() || part.isNull() || part.isUndefined()))
  );
}

/**
 * The value of `property` that means "active": its initializer when that is `'active'` (or an enum member whose
 * value is), else an `'active'` among the values its type or its `@Enum({ items })` allows.
 */
function activeValueOf(property: PropertyDeclaration): string | undefined {
  const isActive = (value: unknown): value is string => typeof value === 'string' && value.toLowerCase() === 'active';
  const initializer = property.getInitializer();
  if (initializer) {
    const value = literalValueOf(initializer.getType());
    if (isActive(value)) return value;
  }
  const type = property.getType();
  // A union of string literals, or an enum: a string enum's members are string literal types.
  const allowed = (type.isUnion() ? type.getUnionTypes() : [type]).map(literalValueOf).find(isActive);
  if (allowed) return allowed;
  const items = property
    .getDecorator('Enum')
    ?.getArguments()
    .flatMap(argument => (Node.isObjectLiteralExpression(argument) ? [argument.getProperty('items')] : []))
    .flatMap(item =>
      Node.isPropertyAssignment(item)
        ? (item.getInitializerIfKind(SyntaxKind.ArrayLiteralExpression)?.getElements() ?? [])
        : [],
    )
    .map(element => literalValueOf(element.getType()))
    .find(isActive);
  return items;
}

function literalValueOf(type: Type): unknown {
  return type.isStringLiteral() ? type.getLiteralValue() : undefined;
}
