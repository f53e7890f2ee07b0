import type { KnowledgeSkill } from '../../shared/session';
import type { SkillInfo } from './types';

/** A registry skill as the session's UI lists it (SessionKnowledge.skills). */
export function knowledgeSkill(s: SkillInfo, enabledNames: readonly string[], notIndexed: readonly string[]): KnowledgeSkill {
  const enabled = !s.shadowed && enabledNames.includes(s.name);
  return {
    name: s.name, description: s.description, source: s.source, path: s.skillFile, enabled, shadowed: s.shadowed,
    ...(s.folder !== s.name ? { folder: s.folder } : {}),
    ...(s.linked ? { linked: true } : {}),
    ...(enabled && notIndexed.includes(s.name) ? { notIndexed: true } : {}),
  };
}
