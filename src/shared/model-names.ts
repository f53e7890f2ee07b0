/** Model-name normalisation shared by the pricing and context-window tables. */

/**
 * Lower-cases, drops a routing prefix (`openai/gpt-4o`) and a release-date suffix
 * (`-20250929`, `-2024-08-06`), so dated snapshots share their family's entry.
 */
export function normalizeModelName(model: string): string {
  return model
    .trim()
    .toLowerCase()
    .replace(/^[\w.-]+\//, '')
    .replace(/-\d{4}-\d{2}-\d{2}$/, '')
    .replace(/-\d{8}$/, '');
}
