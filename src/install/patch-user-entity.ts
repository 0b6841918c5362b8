import type { UserEntity } from './find-files.ts';
import { ensureNamedImports, relativeSpecifier } from './imports.ts';
import type { LinkEntity } from './patch-link-entity.ts';

/** Puts `@MultiAccount({ linkedAccountResource: () => LinkedAccount })` right after the user's `@Entity()`. */
export function patchUserEntity(user: UserEntity, link: LinkEntity): void {
  if (user.declaration.getDecorator('MultiAccount')) return;
  const entityIndex = user.declaration.getDecorators().findIndex(decorator => decorator.getName() === 'Entity');
  user.declaration.insertDecorator(entityIndex + 1, { name: 'MultiAccount', arguments: [`{ linkedAccountResource: () => ${link.name} }`] });
  ensureNamedImports(user.file, 'mikro-multi-account', ['MultiAccount']);
  ensureNamedImports(user.file, relativeSpecifier(user.file, link.file.getFilePath()), [link.name]);
}
