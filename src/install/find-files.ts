import type { ClassDeclaration, Project, SourceFile } from 'ts-morph';
import { SyntaxKind } from 'ts-morph';
import { InstallError } from './install-error.ts';

export interface UserEntity {
  file: SourceFile;
  declaration: ClassDeclaration;
  name: string;
}

const userClassNames = ['User', 'Account', 'Member', 'Person', 'Customer'];

/** The app's user entity: the given file's @Entity class, or an @Entity class with a user-like name. */
export function findUserEntity(project: Project, path?: string): UserEntity {
  const files = path ? [sourceFile(project, path)] : project.getSourceFiles();
  const entities = files.flatMap(file =>
    file
      .getClasses()
      .filter(declaration => declaration.getDecorator('Entity'))
      .map(declaration => ({ file, declaration })),
  );
  const found = path
    ? entities[0]
    : (userClassNames.map(name => entities.find(entity => entity.declaration.getName() === name)).find(Boolean) ??
      undefined);
  if (!found) {
    throw new InstallError(
      path
        ? `no @Entity() class in ${path}.`
        : 'cannot tell which entity is your user: pass it with --user path/to/user.ts ' +
            `(looked for ${userClassNames.join(', ')}).`,
    );
  }
  return { ...found, name: found.declaration.getName()! };
}

/** Where the MikroORM config lists its entities: the given file, or the file with an `entities: [...]` option. */
export function findConfigFile(project: Project, path?: string): SourceFile | undefined {
  if (path) return sourceFile(project, path);
  return project
    .getSourceFiles()
    .find(file =>
      file
        .getDescendantsOfKind(SyntaxKind.PropertyAssignment)
        .some(
          property =>
            property.getName() === 'entities' && property.getInitializerIfKind(SyntaxKind.ArrayLiteralExpression),
        ),
    );
}

/** The file that creates the Koa app (`new Koa()`). */
export function findAppFile(project: Project, path?: string): SourceFile | undefined {
  if (path) return sourceFile(project, path);
  return project
    .getSourceFiles()
    .find(file =>
      file
        .getDescendantsOfKind(SyntaxKind.NewExpression)
        .some(expression => expression.getExpression().getText() === 'Koa'),
    );
}

function sourceFile(project: Project, path: string): SourceFile {
  const file = project.getSourceFile(path) ?? project.addSourceFileAtPathIfExists(path);
  if (!file) throw new InstallError(`cannot find ${path}.`);
  return file;
}
