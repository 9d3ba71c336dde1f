// The Node.js version check bin/run.js and bin/dev.js make before loading anything else.
// Plain JavaScript without imports: it must run on any old Node.js and say one clear thing.

/** The oldest Node.js major version the plugin runs on (package.json "engines", .nvmrc). */
export const REQUIRED_NODE_MAJOR = 22;

/**
 * The one-line message for a Node.js older than REQUIRED_NODE_MAJOR, or undefined when this one will do.
 * @param {{ node?: string }} versions process.versions (or a stand-in, in tests)
 * @param {string} execPath the running node executable
 * @returns {string | undefined}
 */
export function nodeVersionProblem(versions = process.versions, execPath = process.execPath) {
  const found = String(versions.node ?? 'unknown');
  const major = Number.parseInt(found, 10);
  if (major >= REQUIRED_NODE_MAJOR) return undefined;
  return (
    `plugin-integration-user needs Node.js ${REQUIRED_NODE_MAJOR} or later, but this is Node.js ${found} (${execPath}). ` +
    `Get Node.js ${REQUIRED_NODE_MAJOR}: \`nvm install\` (reads .nvmrc), https://nodejs.org/en/download, ` +
    `or run \`npm test\` / \`npm run demo\`, which fetch it themselves.`
  );
}

/** Prints the message and exits 1 when this Node.js is too old. */
export function exitIfNodeTooOld() {
  const problem = nodeVersionProblem();
  if (problem) {
    process.stderr.write(problem + '\n');
    process.exit(1);
  }
}
