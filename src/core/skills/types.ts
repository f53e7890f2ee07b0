/** Plain data types of the skill registry (Agent Skills format: a folder with SKILL.md). */

/** Where a skill folder was found. `user` is the user-level folder from settings. */
export type SkillLocation = 'agents' | 'claude' | 'github' | 'user';
export type SkillSource = 'workspace' | 'user';

export type SkillDiagnosticCode =
  | 'invalid_front_matter'
  | 'missing_field'
  | 'invalid_name'
  | 'duplicate'
  | 'too_large'
  | 'unreadable'
  | 'untrusted'
  /** A linked skill folder that is not followed (outside the allowed roots, a loop, dangling). */
  | 'link_refused';

/** A problem found while loading; the rest of the registry still loads. */
export interface SkillDiagnostic {
  severity: 'error' | 'warning' | 'info';
  code: SkillDiagnosticCode;
  /** Absolute path of the SKILL.md (or the folder) concerned; '' for registry-wide notes. */
  path: string;
  message: string;
}

/** One discovered skill (shadowed entries included, so the UI can show both sides of a clash). */
export interface SkillInfo {
  name: string;
  description: string;
  /** `allowed-tools` from the front matter (tool names the skill expects to use), if given. */
  allowedTools?: string[];
  source: SkillSource;
  location: SkillLocation;
  /** Absolute folder of the skill. */
  dir: string;
  /** Absolute path of SKILL.md. */
  skillFile: string;
  /** Name of its folder (load_skill accepts it too when it differs from `name`). */
  folder: string;
  /** True when the folder (or the skills folder holding it) is a symbolic link; `linkTarget` is its real path. */
  linked?: boolean;
  linkTarget?: string;
  /** True when another skill with the same name wins (workspace beats user; earlier folder beats later). */
  shadowed: boolean;
  /** The SKILL.md path of the winner when shadowed. */
  shadowedBy?: string;
  diagnostics: SkillDiagnostic[];
}

/** The body of a skill plus the files bundled with it. */
export interface SkillContent {
  info: SkillInfo;
  /** Markdown after the front matter (capped, with a note when cut). */
  body: string;
  /** Bundled files: workspace-relative posix paths for workspace skills, absolute for user skills. */
  files: string[];
}

/** Per-session overrides: name → enabled. Names not listed follow the default (enabled). */
export type SkillOverrides = Readonly<Record<string, boolean>>;

/** A skill whose body should be attached up front for a prompt, and why. */
export interface SkillMatch {
  name: string;
  reason: 'name' | 'description';
  /** For description matches: the shared content words. */
  overlap?: string[];
}
