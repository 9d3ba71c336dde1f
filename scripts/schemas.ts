/**
 * `npm run schemas`: regenerates every `schemas/*.json` from the result type of every command in
 * `src/commands/**` (`src/commands/integration/user/generate/app.ts` → `schemas/integration-user-generate-app.json`).
 * The result type is the type argument of the command's `extends SfCommand<…Result>` when that is an
 * exported `…Result`, else the file's only exported type whose name ends in `Result`.
 * One TypeScript program serves every command (test/schemas.test.ts reuses `generateSchemas`).
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { createFormatter, createParser, DEFAULT_CONFIG, SchemaGenerator, type CompletedConfig } from 'ts-json-schema-generator';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const COMMANDS_DIR = join(ROOT, 'src', 'commands');
const SCHEMAS_DIR = join(ROOT, 'schemas');

/** Committed schemas of input files (not command results), kept in sync by their own tests: not orphans. */
export const INPUT_SCHEMAS = ['integration-spec.json'];

export type GeneratedSchema = { commandFile: string; schemaFile: string; typeName: string; schema: unknown };

/** Every command source file, sorted. */
export function commandFiles(dir = COMMANDS_DIR): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** `src/commands/integration/user/list.ts` → `<root>/schemas/integration-user-list.json`. */
export function schemaFileFor(commandFile: string): string {
  const id = relative(COMMANDS_DIR, commandFile).replace(/\.ts$/, '').split(sep).join('-');
  return join(SCHEMAS_DIR, `${id}.json`);
}

function compilerOptions(): ts.CompilerOptions {
  const configFile = join(ROOT, 'tsconfig.json');
  const raw = ts.readConfigFile(configFile, (path) => ts.sys.readFile(path));
  const parsed = ts.parseJsonConfigFileContent(raw.config, ts.sys, ROOT, {}, configFile);
  return { ...parsed.options, noEmit: true, declaration: false, sourceMap: false };
}

/** The command's result type declaration, or an error message. */
function resultDeclaration(checker: ts.TypeChecker, file: ts.SourceFile): ts.Node | string {
  const moduleSymbol = checker.getSymbolAtLocation(file);
  if (!moduleSymbol) return 'not a module';
  const results = new Map<string, ts.Symbol>();
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    if (!exported.name.endsWith('Result')) continue;
    const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    if (target.flags & (ts.SymbolFlags.TypeAlias | ts.SymbolFlags.Interface)) results.set(exported.name, target);
  }
  const heritageName = sfCommandTypeArgument(file);
  const chosen = (heritageName ? results.get(heritageName) : undefined) ?? (results.size === 1 ? [...results.values()][0] : undefined);
  const declaration = chosen?.declarations?.[0];
  if (!declaration) {
    return results.size === 0
      ? 'exports no type whose name ends in "Result"'
      : `exports several …Result types (${[...results.keys()].join(', ')}) and none is its SfCommand<…> type argument`;
  }
  return declaration;
}

/** `Foo` in `export default class X extends SfCommand<Foo>`. */
function sfCommandTypeArgument(file: ts.SourceFile): string | undefined {
  for (const statement of file.statements) {
    if (!ts.isClassDeclaration(statement)) continue;
    for (const clause of statement.heritageClauses ?? []) {
      for (const type of clause.types) {
        const argument = type.typeArguments?.[0];
        if (argument && ts.isTypeReferenceNode(argument) && ts.isIdentifier(argument.typeName)) return argument.typeName.text;
      }
    }
  }
  return undefined;
}

/** Generates every command's schema in memory (one program); throws listing every command without a result type. */
export function generateSchemas(files = commandFiles()): GeneratedSchema[] {
  const program = ts.createProgram(files, compilerOptions());
  const config: CompletedConfig = { ...DEFAULT_CONFIG, tsProgram: program, skipTypeCheck: true, additionalProperties: false };
  const generator = new SchemaGenerator(program, createParser(program, config), createFormatter(config), config);
  const checker = program.getTypeChecker();
  const problems: string[] = [];
  const schemas: GeneratedSchema[] = [];
  for (const commandFile of files) {
    const file = program.getSourceFile(commandFile);
    const declaration = file ? resultDeclaration(checker, file) : 'not found';
    if (typeof declaration === 'string') {
      problems.push(`${relative(ROOT, commandFile)}: ${declaration}`);
      continue;
    }
    const typeName = (declaration as ts.DeclarationStatement).name?.getText() ?? '';
    schemas.push({
      commandFile,
      schemaFile: schemaFileFor(commandFile),
      typeName,
      schema: generator.createSchemaFromNodes([declaration]),
    });
  }
  if (problems.length > 0) throw new Error(`Cannot generate a result schema for:\n${problems.join('\n')}`);
  return schemas;
}

/** The file content a schema is committed as. */
export function serialize(schema: unknown): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  for (const { schemaFile, typeName, schema } of generateSchemas()) {
    writeFileSync(schemaFile, serialize(schema));
    process.stdout.write(`${relative(ROOT, schemaFile)} ← ${typeName}\n`);
  }
}
