/** External Client App generation: the validated input and what comes out of it. */

export const FLOWS = ['client-credentials', 'jwt', 'web-server'] as const;
export type Flow = (typeof FLOWS)[number];

/** Everything needed to generate one app; built by `buildSpec` from raw flags, so already validated. */
export type AppSpec = {
  /** API name of the app and base name of every file. */
  name: string;
  label: string;
  description?: string;
  contactEmail: string;
  flow: Flow;
  /** Client credentials: the execution user; JWT: the user who logs in. */
  runAs?: string;
  /** Base64 body of the X.509 certificate (JWT only), in 64-character lines, without BEGIN/END lines. */
  certificate?: string;
  /** Metadata scope tokens, canonical spelling, in the order given. */
  scopes: string[];
  callbackUrl: string;
  /** Permission set API names pre-authorised to use the app. */
  permissionSets: string[];
  /** Profile names pre-authorised to use the app. */
  profiles: string[];
  /** sourceApiVersion the files need, e.g. "60.0". */
  apiVersion: string;
};

/** The Metadata API types the generator writes. */
export type EcaType =
  | 'ExternalClientApplication'
  | 'ExtlClntAppGlobalOauthSettings'
  | 'ExtlClntAppOauthSettings'
  | 'ExtlClntAppOauthConfigurablePolicies'
  | 'ExtlClntAppConfigurablePolicies';

/** One generated file; `path` is relative to the output folder. */
export type EcaFile = {
  path: string;
  type: EcaType;
  fullName: string;
  xml: string;
};

/** One thing to do after generating; `command` is a line to run, when there is one. */
export type NextStep = {
  description: string;
  command?: string;
};

/** One file of the result; `xml` only on a dry run. */
export type GeneratedFile = {
  /** Absolute path. */
  path: string;
  type: EcaType;
  fullName: string;
  xml?: string;
};

export type GenerateAppResult = {
  name: string;
  flow: Flow;
  /** The client-credentials execution user, or the JWT login user; null when not given. */
  runAs: string | null;
  outputDir: string;
  /** True when nothing was written (--dry-run). */
  dryRun: boolean;
  files: GeneratedFile[];
  nextSteps: NextStep[];
};
