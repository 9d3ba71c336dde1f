/** The plugin's exit codes: one table for every command (documented in README "Exit codes"). */
export const EXIT_CODES = {
  /** Everything asked for is done (or was already so). */
  success: 0,
  /** The command failed; nothing was changed unless the error says otherwise. */
  failure: 1,
  /** Some of the work succeeded and some failed (sf-wide convention); the result lists each outcome. */
  partialSuccess: 68,
  /** `integration user audit`: the audit ran and found problems at or above `--fail-on`. */
  auditFindings: 3,
  /** `integration user plan`: the org differs from the spec (changes pending or drift). */
  specDiffers: 3,
} as const;
