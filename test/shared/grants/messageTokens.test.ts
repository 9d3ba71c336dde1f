/**
 * Every message create and assign render gets exactly as many tokens as it has specifiers (%s), and its
 * actions too: @salesforce/core logs "Unable to render tokens" for a token given to a line without one, and
 * prints a raw "%s" for a specifier without its token. Checked over every call with a literal key and
 * literal token arrays in the grant modules and the two commands, and in every other module that loads one
 * messages file itself.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect } from 'chai';
import { REPO_ROOT } from '../../e2e/harness.js';

const SPECIFIER = /%[sdifjoO]/g;

/** `# key` sections of a messages file: key → text. */
function sections(bundle: string): Map<string, string> {
  const text = readFileSync(join(REPO_ROOT, 'messages', `${bundle}.md`), 'utf8');
  const map = new Map<string, string>();
  const parts = text.split(/^# (.+)$/m);
  for (let i = 1; i < parts.length; i += 2) map.set(parts[i].trim(), parts[i + 1]);
  return map;
}

/** The number of top-level elements of the array literal starting at `text[start]` ('['), and where it ends. */
function arrayLength(text: string, start: number): { count: number; end: number } | undefined {
  if (text[start] !== '[') return undefined;
  let depth = 0;
  let count = 0;
  let sawElement = false;
  let quote: string | undefined;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === "'" || c === '"' || c === '`') {
      quote = c;
      sawElement = true;
    } else if ('[({'.includes(c)) {
      depth++;
      if (depth > 1) sawElement = true;
    } else if (')]}'.includes(c)) {
      depth--;
      if (depth === 0) return { count: count + (sawElement ? 1 : 0), end: i + 1 };
    } else if (c === ',' && depth === 1) {
      count++;
      sawElement = false;
    } else if (!/\s/.test(c)) {
      sawElement = true;
    }
  }
  return undefined;
}

type Call = { file: string; key: string; tokens: number; actionTokens: number | undefined; kind: string };

function calls(file: string): Call[] {
  const text = readFileSync(join(REPO_ROOT, file), 'utf8');
  const found: Call[] = [];
  // a literal key, or a template whose only placeholder is the module's `const id = '…'` (the audit rules)
  const id = /^const id = '([^']+)';$/m.exec(text)?.[1];
  const re = /\b(problem|createError|getMessage|getMessages)\(\s*(?:'([^']+)'|`\$\{id\}([^`$]+)`)\s*(,\s*)?/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[3] !== undefined && id === undefined) continue;
    const key = m[2] ?? `${id}${m[3]}`;
    let pos = m.index + m[0].length;
    const first = m[4] ? arrayLength(text, pos) : { count: 0, end: pos };
    if (!first) continue; // tokens not a literal array
    pos = first.end;
    const rest = /^\s*,\s*/.exec(text.slice(pos));
    const second = rest ? arrayLength(text, pos + rest[0].length) : undefined;
    if (rest && !second) continue;
    found.push({ file, key, tokens: first.count, actionTokens: second?.count, kind: m[1] });
  }
  return found;
}

const GRANTS = readdirSync(join(REPO_ROOT, 'src/shared/grants'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => `src/shared/grants/${f}`);
const FILES: Array<[string, string]> = [
  ...GRANTS.map((f): [string, string] => [f, 'grants']),
  ['src/commands/integration/user/create.ts', 'integration.user.create'],
  ['src/commands/integration/user/assign.ts', 'integration.user.assign'],
];

/** Every other module that loads one messages file itself: its literal calls are checked the same way. */
function srcFiles(dir: string): string[] {
  return readdirSync(join(REPO_ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? srcFiles(`${dir}/${e.name}`) : e.name.endsWith('.ts') ? [`${dir}/${e.name}`] : []
  );
}
const CHECKED = new Set(FILES.map(([f]) => f));
const loadedBy = (f: string): string[] =>
  [...readFileSync(join(REPO_ROOT, f), 'utf8').matchAll(/loadMessages\(\s*'plugin-integration-user',\s*'([^']+)'\s*\)/g)].map((m) => m[1]);
/** The one bundle a module loads, else the one of the module it imports its messages from (`ruleMessages as messages`). */
function bundleOf(f: string): string | undefined {
  const own = new Set(loadedBy(f));
  if (own.size > 0) return own.size === 1 ? [...own][0] : undefined;
  const text = readFileSync(join(REPO_ROOT, f), 'utf8');
  const from = /import \{[^}]*\bmessages\b[^}]*\} from '(\.\.?\/[^']+)\.js'/.exec(text)?.[1];
  if (!from) return undefined;
  const imported = new Set(loadedBy(join(dirname(f), `${from}.ts`)));
  return imported.size === 1 ? [...imported][0] : undefined;
}
const OTHERS: Array<[string, string]> = srcFiles('src').flatMap((f): Array<[string, string]> => {
  const bundle = CHECKED.has(f) ? undefined : bundleOf(f);
  return bundle ? [[f, bundle]] : [];
});

const count = (text: string | undefined): number => (text ?? '').match(SPECIFIER)?.length ?? 0;

describe('grants: message tokens', () => {
  it('finds the calls it checks', () => {
    expect(FILES.flatMap(([f]) => calls(f)).length).to.be.greaterThan(40);
  });

  it('create headlines: created, dry run and nothing missing take 4 tokens, the others also the counted grants', () => {
    const create = sections('integration.user.create');
    const specifiers = ['created', 'dryRun', 'existedComplete', 'existed', 'interruptedCreated', 'interruptedExisting'].map((h) => count(create.get(`headline.${h}`)));
    expect(specifiers).to.deep.equal([4, 4, 4, 5, 5, 5]);
  });

  for (const [file, bundle] of [...FILES, ...OTHERS]) {
    it(`${file}: every message and its actions get as many tokens as they have specifiers`, () => {
      const messages = sections(bundle);
      const wrong: string[] = [];
      for (const call of calls(file)) {
        const key = call.kind === 'problem' ? `problem.${call.key}` : call.key;
        if (!messages.has(key)) {
          // outside the grant modules, problem() and friends may be other helpers: only known keys are checked there
          if (CHECKED.has(file)) wrong.push(`${key}: no such message in messages/${bundle}.md`);
          continue;
        }
        if (count(messages.get(key)) !== call.tokens) wrong.push(`${key}: ${count(messages.get(key))} specifiers, ${call.tokens} tokens`);
        const actions = messages.get(`${key}.actions`);
        const actionTokens = call.kind === 'problem' || call.kind === 'createError' ? call.actionTokens ?? 0 : undefined;
        if (actionTokens !== undefined && count(actions) !== actionTokens) {
          wrong.push(`${key}.actions: ${count(actions)} specifiers, ${actionTokens} tokens`);
        }
      }
      expect(wrong).to.deep.equal([]);
    });
  }
});
