/**
 * Every key of messages/*.md is used by the code, and every messages file a module loads exists: a key
 * nobody reads is dead text that drifts from what the plugin does. A key counts as used when the source
 * names it in quotes, when a template literal in a module that loads (or imports the messages of) its file
 * builds it (`column.${key}`, `${id}.message`), when a helper of such a module is called with its last
 * part (`problem('NameRequired')` → problem.NameRequired), or when it is an exit code (`exitCode.N`, read by
 * exitCodesHelp). `.actions` keys go with their message.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { expect } from 'chai';
import IntegrationUserAudit from '../../src/commands/integration/user/audit.js';
import { REPO_ROOT } from '../e2e/harness.js';

const MESSAGES = join(REPO_ROOT, 'messages');
const SRC = join(REPO_ROOT, 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const sources = new Map(files(SRC).map((path) => [path, readFileSync(path, 'utf8')]));
const bundles = readdirSync(MESSAGES)
  .filter((f) => f.endsWith('.md'))
  .map((f) => f.slice(0, -3));

function keysOf(bundle: string): string[] {
  return [...readFileSync(join(MESSAGES, `${bundle}.md`), 'utf8').matchAll(/^# (.+)$/gm)].map((m) => m[1].trim());
}

/** The bundles a module loads itself. */
function loads(text: string): string[] {
  return [...text.matchAll(/loadMessages\(\s*'plugin-integration-user',\s*'([^']+)'\s*\)/g)].map((m) => m[1]);
}

/** The bundles a module reads: its own, and those of the modules it imports (their exported messages). */
function readsBundles(path: string): Set<string> {
  const text = sources.get(path) ?? '';
  const found = new Set(loads(text));
  for (const m of text.matchAll(/from '(\.\.?\/[^']+)\.js'/g)) {
    const imported = resolve(dirname(path), `${m[1]}.ts`);
    for (const b of loads(sources.get(imported) ?? '')) found.add(b);
  }
  return found;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Template literals given as a key (a call's first argument, `getMessage(`step.${s.step}`)`), as patterns over whole keys. */
function templates(text: string): RegExp[] {
  return [...text.matchAll(/\(\s*`((?:[^`$]|\$\{[^`]*?\})*)`/g)]
    .map((m) => m[1])
    .filter((t) => t.includes('${') && /^[\w.-]*$/.test(t.replace(/\$\{[^`]*?\}/g, '')))
    .map((t) => new RegExp(`^${t.split(/\$\{[^`]*?\}/).map(escape).join('[\\w.-]+')}$`));
}

describe('messages', () => {
  const users = [...sources.keys()].map((path) => ({ path, text: sources.get(path) ?? '', bundles: readsBundles(path) }));

  it('every messages file a module loads exists', () => {
    const missing = users.flatMap((u) => loads(u.text).filter((b) => !bundles.includes(b)).map((b) => `${relative(REPO_ROOT, u.path)}: ${b}`));
    expect(missing).to.deep.equal([]);
  });

  it('every messages file is loaded by some module', () => {
    const loaded = new Set(users.flatMap((u) => loads(u.text)));
    expect(bundles.filter((b) => !loaded.has(b))).to.deep.equal([]);
  });

  it('no message writes a plural as "(s)": counts come with their noun from countOf', () => {
    const found = bundles.flatMap((b) =>
      readFileSync(join(MESSAGES, `${b}.md`), 'utf8')
        .split('\n')
        .flatMap((line, i) => (/[a-z]\(s\)/i.test(line) ? [`${b}.md:${i + 1}: ${line}`] : []))
    );
    expect(found).to.deep.equal([]);
  });

  it('finds the keys it checks', () => {
    expect(bundles.flatMap(keysOf).length).to.be.greaterThan(500);
  });

  it('every key the code names in a getMessage/createError call exists in a messages file the module reads', () => {
    const everyKey = new Set(bundles.flatMap(keysOf));
    const missing = users.flatMap((u) => {
      // messages objects the module loads or imports; any other receiver is a parameter (a command's messages)
      const own = new Set([
        ...[...u.text.matchAll(/\b(\w+) = Messages\.loadMessages\(/g)].map((m) => m[1]),
        ...[...u.text.matchAll(/import \{([^}]*)\} from '\.\.?\//g)].flatMap((m) => m[1].split(',').map((n) => n.trim().split(/\s+as\s+/).pop() ?? '')),
      ]);
      const code = u.text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
      return [...code.matchAll(/\b(\w+)\.(?:getMessage|getMessages|createError|createWarning|createInfo)\(\s*'([^']+)'/g)]
        .filter(([, receiver, key]) => (own.has(receiver) ? ![...u.bundles].some((b) => keysOf(b).includes(key)) : !everyKey.has(key)))
        .map(([, , key]) => `${relative(REPO_ROOT, u.path)}: ${key}`);
    });
    expect(missing).to.deep.equal([]);
  });

  for (const bundle of bundles) {
    it(`messages/${bundle}.md: every key is used by the code`, () => {
      const readers = users.filter((u) => u.bundles.has(bundle));
      const patterns = readers.flatMap((u) => templates(u.text));
      const quoted = (s: string, where: Array<{ text: string }>): boolean => where.some((u) => u.text.includes(`'${s}'`) || u.text.includes(`\`${s}\``));
      const unused = keysOf(bundle).filter((key) => {
        const base = key.replace(/\.actions$/, '');
        if (/^exitCodes?\.\d+$/.test(base)) return false;
        if (quoted(key, users) || quoted(base, users)) return false;
        if (patterns.some((p) => p.test(base))) return false;
        const last = base.split('.').pop() ?? base;
        return !(base.includes('.') && quoted(last, readers));
      });
      expect(unused).to.deep.equal([]);
    });
  }

  it("audit's help says that IU013 reads the enclosing sfdx project's External Client App policy files", () => {
    expect(IntegrationUserAudit.description).to.match(/IU013[^\n]*OAuth policy files[^\n]*sfdx project that contains the working directory/);
  });
});
