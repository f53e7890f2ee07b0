import { promises as fs } from 'node:fs';
import { homedir } from 'node:os';
import { join, sep } from 'node:path';

/**
 * Symbolic links to skill folders, as skill installers make them (`npx skills add` keeps one
 * canonical copy in `.agents/skills/<name>` or `~/.agents/skills/<name>` and links
 * `.claude/skills/<name>`, `~/.claude/skills/<name>` … to it).
 *
 * "Allowed" — a link is followed only when its real target lies inside one of:
 * - the registry's workspace root (the session's workspace folder or worktree), plus any other
 *   workspace folders the host passes (`SkillRegistryOptions.linkRoots`);
 * - the user skills folder (setting `agentSessions.userSkillsFolder`);
 * - the canonical user-level skill stores installers write to: `~/.agents/skills`,
 *   `~/.config/agents/skills`, `~/.claude/skills` ({@link defaultUserSkillStores}).
 * A link pointing anywhere else (`/etc`, `~/.ssh`, another checkout) is refused with a
 * diagnostic naming the link and its target: a repository must not pull arbitrary folders of the
 * user's machine into the model's context.
 *
 * Loop-safe: targets are compared by real path. A link whose target is the folder it sits in or
 * one of its ancestors is refused, link cycles (ELOOP) are refused, and a real folder reached
 * twice (the canonical copy and its link) is loaded once.
 */

/** The user-level skill stores skill installers use (their links are allowed to point there). */
export function defaultUserSkillStores(home: string = homedir()): string[] {
  return [join(home, '.agents', 'skills'), join(home, '.config', 'agents', 'skills'), join(home, '.claude', 'skills')];
}

function isWithin(child: string, parent: string): boolean {
  return child === parent || child.startsWith(parent.endsWith(sep) ? parent : parent + sep);
}

/** Real paths of the folders skill links may point into. Missing folders are left out. */
export class LinkRoots {
  private constructor(private readonly roots: readonly string[]) {}

  /** Resolves each folder to its real path (so `/tmp` vs `/private/tmp` compare equal). */
  static async create(folders: readonly string[]): Promise<LinkRoots> {
    const real: string[] = [];
    for (const f of folders) {
      try { real.push(await fs.realpath(f)); } catch { /* absent: nothing can point into it */ }
    }
    return new LinkRoots([...new Set(real)]);
  }

  /** True when the real path lies inside (or is) one of the allowed folders. */
  allows(realPath: string): boolean {
    return this.roots.some((r) => isWithin(realPath, r));
  }
}

/** How one entry of a skills folder resolves. */
export type LinkResolution =
  | { ok: true; real: string }
  | { ok: false; reason: 'outside' | 'loop' | 'broken' | 'not_folder'; target?: string; message: string };

/**
 * Resolves a symbolic link found at `linkPath` (inside the skills folder whose real path is
 * `folderReal`) to its real target, applying the rules above.
 */
export async function resolveSkillLink(linkPath: string, folderReal: string, roots: LinkRoots): Promise<LinkResolution> {
  let target: string | undefined;
  try { target = await fs.readlink(linkPath); } catch { /* raced delete: reported as broken below */ }
  let real: string;
  try {
    real = await fs.realpath(linkPath);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') return { ok: false, reason: 'loop', ...(target ? { target } : {}), message: `Skill folder link ${linkPath} -> ${target ?? '?'} is a link cycle; it is skipped.` };
    return { ok: false, reason: 'broken', ...(target ? { target } : {}), message: `Skill folder link ${linkPath} -> ${target ?? '?'} points to nothing (its target is missing); it is skipped.` };
  }
  if (isWithin(folderReal, real)) {
    return { ok: false, reason: 'loop', target: real, message: `Skill folder link ${linkPath} -> ${real} points to its own skills folder or a parent of it (a loop); it is skipped.` };
  }
  if (!roots.allows(real)) {
    return {
      ok: false, reason: 'outside', target: real,
      message: `Skill folder link ${linkPath} -> ${real} points outside the workspace and the user skills folders; it is not followed. Move the skill into an allowed folder or copy it.`,
    };
  }
  try {
    if (!(await fs.stat(real)).isDirectory()) return { ok: false, reason: 'not_folder', target: real, message: `${linkPath} links to a file, not a skill folder; it is skipped.` };
  } catch {
    return { ok: false, reason: 'broken', target: real, message: `Skill folder link ${linkPath} -> ${real} could not be read; it is skipped.` };
  }
  return { ok: true, real };
}
