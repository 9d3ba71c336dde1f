export declare const REQUIRED_NODE_MAJOR: number;
export declare function nodeVersionProblem(versions?: { node?: string }, execPath?: string): string | undefined;
export declare function exitIfNodeTooOld(): void;
